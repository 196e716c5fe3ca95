using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Flock.KubectlPlugin.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Flock.KubectlPlugin.Tests.Krew;

/// <summary>
/// deploy/krew/flock.yaml, the manifest `kubectl krew install` reads, against krew's own rules (<see cref="KrewRules"/>).
/// Its sha256 values are placeholders until the release: deploy/krew/fill-sha256.sh writes each archive's sum, and the
/// tests check that filled manifest on stand-in archives: the real ones are five self-contained publishes (minutes of
/// build and 270 MB, with every platform's .NET runtime pack from nuget.org), which deploy/krew/package.sh makes at release.
/// </summary>
public sealed class KrewManifestTests
{
    private const string FileName = "flock.yaml";
    private const string Placeholder = "FILLED-AT-RELEASE";

    private static string ManifestPath => Path.Combine(Repo.Krew, FileName);

    private static KrewPlugin Committed => KrewManifest.Parse(File.ReadAllText(ManifestPath));

    [Fact]
    public void Committed_manifest_breaks_no_krew_rule_but_its_release_placeholders()
    {
        var plugin = Committed;

        Assert.All(plugin.Platforms!, p => Assert.Equal(Placeholder, p.Sha256));
        // krew refuses the placeholder, so the unfilled file can never install anything.
        var violations = KrewRules.Check(FileName, plugin);
        Assert.All(violations, v => Assert.Equal(KrewRules.Sha256, v.Rule));
        Assert.Equal(plugin.Platforms!.Count, violations.Count);
    }

    [Fact]
    public async Task Filled_manifest_passes_every_krew_rule_with_each_archives_own_sum()
    {
        using var archives = new StandInArchives(Committed);

        var filled = await FillAsync(archives.Dir);

        Assert.True(filled.ExitCode == 0, filled.ToString());
        var plugin = KrewManifest.Parse(filled.StdOut);
        Assert.Empty(KrewRules.Check(FileName, plugin));
        Assert.All(plugin.Platforms!, p => Assert.Equal(archives.Sha256Of(p.Uri!), p.Sha256));
        // Apart from the sums, and the leading comment that calls them placeholders, it is the committed manifest line for line.
        var committed = File.ReadAllLines(ManifestPath).SkipWhile(line => line.StartsWith('#'));
        Assert.Equal(committed.Select(MaskSum), filled.StdOut.TrimEnd('\n').Split('\n').Select(MaskSum));
        Assert.DoesNotContain(Placeholder, filled.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filling_fails_when_an_archive_the_manifest_names_is_missing()
    {
        using var archives = new StandInArchives(Committed);
        var missing = Path.GetFileName(new Uri(Committed.Platforms![1].Uri!).AbsolutePath);
        File.Delete(Path.Combine(archives.Dir, missing));

        var filled = await FillAsync(archives.Dir);

        Assert.NotEqual(0, filled.ExitCode);
        Assert.Contains(missing, filled.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BreakageNames))]
    public void Each_krew_rule_rejects_a_manifest_that_breaks_it(string breakage)
    {
        var (rule, fileName, change) = Breakages[breakage];
        var root = ValidManifest();
        Assert.Empty(KrewRules.Check(FileName, KrewManifest.FromNode(root)));

        change(root);

        Assert.Contains(KrewRules.Check(fileName, KrewManifest.FromNode(root)), v => v.Rule == rule);
    }

    [Theory]
    [InlineData("v0.1.0")]
    [InlineData("v10.20.30")]
    [InlineData("v1.2.3-rc.1")]
    [InlineData("v1.2.3-0.alpha")]
    [InlineData("v1.2.3+build.07")]
    [InlineData("v1.2.3-beta-2+sha.5114f85")]
    public void Krew_accepts_v_and_a_semantic_version(string version) => Assert.True(KrewRules.IsKrewSemver(version), version);

    [Theory]
    [InlineData("0.1.0")]
    [InlineData("V0.1.0")]
    [InlineData("v0.1")]
    [InlineData("v0.1.0.0")]
    [InlineData("v01.1.0")]
    [InlineData("v0.1.00")]
    [InlineData("v1.2.3-rc.01")]
    [InlineData("v1.2.3-")]
    [InlineData("v1.2.3+")]
    [InlineData("v1.2.3 beta")]
    [InlineData("v1.2.3\n")]
    public void Krew_refuses_other_versions(string version) => Assert.False(KrewRules.IsKrewSemver(version), version);

    [Fact]
    public void Version_is_the_plugins_and_the_charts()
    {
        var project = File.ReadAllText(Repo.PluginProject);
        var chart = File.ReadAllText(Repo.ChartYaml);

        var version = Committed.Version!;
        Assert.Contains($"<Version>{version[1..]}</Version>", project, StringComparison.Ordinal);
        Assert.Contains($"appVersion: \"{version[1..]}\"", chart, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_platform_installs_kubectl_flock_from_the_release_of_this_version()
    {
        var plugin = Committed;

        // krew links kubectl-<metadata.name>: `kubectl flock` runs the binary the plugin project builds.
        Assert.Contains($"<AssemblyName>kubectl-{plugin.Name}</AssemblyName>", File.ReadAllText(Repo.PluginProject), StringComparison.Ordinal);
        Assert.StartsWith("https://github.com/", plugin.Homepage, StringComparison.Ordinal);
        foreach (var platform in plugin.Platforms!)
        {
            var os = platform.Selector!.MatchLabels!["os"];
            var arch = platform.Selector.MatchLabels["arch"];
            var binary = os == "windows" ? "kubectl-flock.exe" : "kubectl-flock";
            // The archive name is what deploy/krew/package.sh parses to pick the .NET runtime it builds for.
            var archive = $"kubectl-flock_{plugin.Version}_{os}_{arch}.{(os == "windows" ? "zip" : "tar.gz")}";
            Assert.Equal($"{plugin.Homepage}/releases/download/{plugin.Version}/{archive}", platform.Uri);
            Assert.Equal(binary, platform.Bin);
            // The archive holds the self-contained publish (the apphost beside the runtime it loads): all of it is installed.
            Assert.Equal(new KrewFileOperation("*", "."), Assert.Single(platform.Files!));
        }

        // Every platform package.sh can build a .NET runtime for, and so every platform the plugin can run on.
        Assert.Equal(
            new[] { "darwin/amd64", "darwin/arm64", "linux/amd64", "linux/arm64", "windows/amd64" },
            plugin.Platforms!.Select(p => $"{p.Selector!.MatchLabels!["os"]}/{p.Selector.MatchLabels["arch"]}").Order(StringComparer.Ordinal));
    }

    public static TheoryData<string> BreakageNames() => new(Breakages.Keys);

    /// <summary>One way to break each rule, applied to an otherwise valid manifest.</summary>
    private static readonly Dictionary<string, (string Rule, string FileName, Action<YamlMappingNode> Change)> Breakages = new()
    {
        ["older apiVersion"] = (KrewRules.ApiVersion, FileName, m => Set(m, "apiVersion", "krew.googlecontainertools.github.com/v1alpha1")),
        ["other kind"] = (KrewRules.Kind, FileName, m => Set(m, "kind", "Plugins")),
        ["file not .yaml"] = (KrewRules.FileExtension, "flock.yml", _ => { }),
        ["dot in the name"] = (KrewRules.SafeName, "flock.io.yaml", m => Set(Map(m, "metadata"), "name", "flock.io")),
        ["Windows device name"] = (KrewRules.SafeName, "nul.yaml", m => Set(Map(m, "metadata"), "name", "nul")),
        ["name not the file's"] = (KrewRules.NameMatchesFile, FileName, m => Set(Map(m, "metadata"), "name", "flock-operator")),
        ["no shortDescription"] = (KrewRules.ShortDescription, FileName, m => Remove(Spec(m), "shortDescription")),
        ["shortDescription on two lines"] = (KrewRules.ShortDescriptionOneLine, FileName, m => Set(Spec(m), "shortDescription", "Status and logs\nof FLock workers")),
        ["shortDescription cut by search"] = (KrewRules.ShortDescriptionFitsSearch, FileName, m => Set(Spec(m), "shortDescription", new string('x', KrewRules.SearchColumnWidth + 1))),
        ["no platforms"] = (KrewRules.Platforms, FileName, m => Remove(Spec(m), "platforms")),
        ["empty platforms"] = (KrewRules.Platforms, FileName, m => Spec(m).Children[new YamlScalarNode("platforms")] = new YamlSequenceNode()),
        ["no version"] = (KrewRules.Version, FileName, m => Remove(Spec(m), "version")),
        ["version without v"] = (KrewRules.Version, FileName, m => Set(Spec(m), "version", "0.1.0")),
        ["version of two parts"] = (KrewRules.Version, FileName, m => Set(Spec(m), "version", "v0.1")),
        ["no uri"] = (KrewRules.Uri, FileName, m => Remove(Platform(m, 0), "uri")),
        ["no sha256"] = (KrewRules.Sha256, FileName, m => Remove(Platform(m, 0), "sha256")),
        ["uppercase sha256"] = (KrewRules.Sha256, FileName, m => Set(Platform(m, 0), "sha256", new string('A', 64))),
        ["short sha256"] = (KrewRules.Sha256, FileName, m => Set(Platform(m, 0), "sha256", new string('a', 63))),
        ["no bin"] = (KrewRules.Bin, FileName, m => Remove(Platform(m, 0), "bin")),
        ["bin up and out"] = (KrewRules.BinInsideInstallDir, FileName, m => Set(Platform(m, 0), "bin", "../kubectl-flock")),
        ["absolute bin"] = (KrewRules.BinInsideInstallDir, FileName, m => Set(Platform(m, 0), "bin", "/usr/local/bin/kubectl-flock")),
        ["empty files"] = (KrewRules.Files, FileName, m => Platform(m, 0).Children[new YamlScalarNode("files")] = new YamlSequenceNode()),
        ["file without from"] = (KrewRules.Files, FileName, m => Remove(FileOperation(m), "from")),
        ["file without to"] = (KrewRules.Files, FileName, m => Remove(FileOperation(m), "to")),
        ["no selector"] = (KrewRules.Selector, FileName, m => Remove(Platform(m, 0), "selector")),
        ["empty selector"] = (KrewRules.Selector, FileName, m => Platform(m, 0).Children[new YamlScalarNode("selector")] = new YamlMappingNode()),
        ["empty matchLabels"] = (KrewRules.Selector, FileName, m => Map(Platform(m, 0), "selector").Children[new YamlScalarNode("matchLabels")] = new YamlMappingNode()),
        ["empty matchExpressions"] = (KrewRules.Selector, FileName, m => Map(Platform(m, 0), "selector").Children[new YamlScalarNode("matchExpressions")] = new YamlSequenceNode()),
        ["selector key besides os and arch"] = (KrewRules.Selector, FileName, m => Set(Map(Map(Platform(m, 0), "selector"), "matchLabels"), "distro", "debian")),
        ["os krew does not know"] = (KrewRules.SupportedPlatform, FileName, m => Set(Map(Map(Platform(m, 0), "selector"), "matchLabels"), "os", "plan9")),
        ["two platforms for linux/amd64"] = (KrewRules.NoOverlap, FileName, m =>
            Platform(m, 1).Children[new YamlScalarNode("selector")] = YamlClone(Map(Platform(m, 0), "selector"))),
    };

    /// <summary>The committed manifest with well-formed sums in place of the placeholders.</summary>
    private static YamlMappingNode ValidManifest()
    {
        var root = KrewManifest.Load(File.ReadAllText(ManifestPath));
        foreach (var platform in Sequence(Spec(root), "platforms").Children.Cast<YamlMappingNode>())
        {
            Set(platform, "sha256", Convert.ToHexStringLower(SHA256.HashData("stand-in"u8)));
        }

        return root;
    }

    private static string MaskSum(string line) => Regex.Replace(line, @"^(\s*sha256:).*$", "$1 <sum>");

    private static Task<ProcessResult> FillAsync(string archiveDir) =>
        Processes.RunAsync("bash", [Path.Combine(Repo.Krew, "fill-sha256.sh"), archiveDir, ManifestPath]);

    private static YamlMappingNode Spec(YamlMappingNode root) => Map(root, "spec");

    private static YamlMappingNode Platform(YamlMappingNode root, int index) => (YamlMappingNode)Sequence(Spec(root), "platforms").Children[index];

    private static YamlMappingNode FileOperation(YamlMappingNode root) => (YamlMappingNode)Sequence(Platform(root, 0), "files").Children[0];

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static YamlSequenceNode Sequence(YamlMappingNode node, string key) => (YamlSequenceNode)node.Children[new YamlScalarNode(key)];

    private static void Set(YamlMappingNode node, string key, string value) => node.Children[new YamlScalarNode(key)] = new YamlScalarNode(value);

    private static void Remove(YamlMappingNode node, string key) => Assert.True(node.Children.Remove(new YamlScalarNode(key)), $"no {key} to remove");

    private static YamlMappingNode YamlClone(YamlMappingNode node)
    {
        using var text = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(text, assignAnchors: false);
        return KrewManifest.Load(text.ToString());
    }

    /// <summary>A directory with one small file, of distinct content, under each archive name the manifest's uris give.</summary>
    private sealed class StandInArchives : IDisposable
    {
        public StandInArchives(KrewPlugin plugin)
        {
            foreach (var platform in plugin.Platforms!)
            {
                var name = Path.GetFileName(new Uri(platform.Uri!).AbsolutePath);
                File.WriteAllText(Path.Combine(Dir, name), $"stand-in for {name}");
            }
        }

        public string Dir { get; } = Directory.CreateTempSubdirectory("flock-krew-").FullName;

        public string Sha256Of(string uri) =>
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Dir, Path.GetFileName(new Uri(uri).AbsolutePath)))));

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }
}
