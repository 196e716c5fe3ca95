using System.Text.RegularExpressions;

namespace Flock.KubectlPlugin.Tests.Krew;

/// <summary>A rule of krew's a manifest breaks, and how.</summary>
internal sealed record KrewViolation(string Rule, string Message)
{
    public override string ToString() => $"{Rule}: {Message}";
}

/// <summary>
/// What krew requires of a plugin manifest before it installs it or krew-index accepts it, written from krew's source
/// (kubernetes-sigs/krew): the structural checks of internal/index/validation/validate.go (pkg/index/validation/validate.go
/// in older releases) that `kubectl krew install` runs on every manifest, the semantic-version parse it calls
/// (internal/installation/semver/version.go over k8s.io/apimachinery/pkg/util/version ParseSemantic), the platform checks
/// of cmd/validate-krew-manifest/main.go that krew-index runs on a submission, and install.go's refusal of a `bin` outside
/// the install directory. One rule more is ours: a shortDescription that `kubectl krew search` shows whole.
/// Every violation is reported, where krew stops at the first.
/// </summary>
internal static partial class KrewRules
{
    public const string ApiVersion = "apiVersion";
    public const string Kind = "kind";
    public const string FileExtension = "file-extension";
    public const string SafeName = "safe-name";
    public const string NameMatchesFile = "name-matches-file";
    public const string ShortDescription = "shortDescription";
    public const string ShortDescriptionOneLine = "shortDescription-one-line";
    public const string ShortDescriptionFitsSearch = "shortDescription-fits-search";
    public const string Platforms = "platforms";
    public const string Version = "version";
    public const string Uri = "uri";
    public const string Sha256 = "sha256";
    public const string Bin = "bin";
    public const string BinInsideInstallDir = "bin-inside-install-dir";
    public const string Files = "files";
    public const string Selector = "selector";
    public const string SupportedPlatform = "supported-platform";
    public const string NoOverlap = "no-overlap";

    /// <summary>constants.CurrentAPIVersion and constants.PluginKind (pkg/constants/constants.go).</summary>
    public const string CurrentApiVersion = "krew.googlecontainertools.github.com/v1alpha2";

    /// <summary>`kubectl krew search` cuts a longer shortDescription to 47 characters and "..." (cmd/krew/cmd/search.go, limitString(…, 50)).</summary>
    public const int SearchColumnWidth = 50;

    /// <summary>Windows device names, refused as plugin names (validate.go windowsForbidden), compared case-insensitively.</summary>
    private static readonly string[] WindowsForbidden =
    [
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];

    /// <summary>The (os, arch) pairs krew-index accepts a platform for (cmd/validate-krew-manifest/main.go allPlatforms).</summary>
    public static readonly IReadOnlyList<(string Os, string Arch)> SupportedPlatforms =
    [
        ("windows", "386"), ("windows", "amd64"), ("windows", "arm64"),
        ("linux", "386"), ("linux", "amd64"), ("linux", "arm"), ("linux", "arm64"), ("linux", "ppc64le"),
        ("darwin", "386"), ("darwin", "amd64"), ("darwin", "arm64"),
    ];

    /// <summary>The violations of a manifest read from a file of this name (krew takes the plugin's name from it).</summary>
    public static IReadOnlyList<KrewViolation> Check(string fileName, KrewPlugin plugin)
    {
        var found = new List<KrewViolation>();
        void Fail(string rule, string message) => found.Add(new KrewViolation(rule, message));

        if (plugin.ApiVersion != CurrentApiVersion) Fail(ApiVersion, $"apiVersion is {plugin.ApiVersion}, krew reads only {CurrentApiVersion}");
        if (plugin.Kind != "Plugin") Fail(Kind, $"kind is {plugin.Kind}, not Plugin");

        // validate-krew-manifest: the file is <name>.yaml and the name it gives must be safe and equal metadata.name.
        if (Path.GetExtension(fileName) != ".yaml") Fail(FileExtension, $"{fileName} does not end in .yaml");
        var name = Path.GetFileNameWithoutExtension(fileName);
        if (!SafeNamePattern().IsMatch(name) || WindowsForbidden.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            Fail(SafeName, $"plugin name {name} must match ^[\\w-]+$ and not be a Windows device name");
        }

        if (plugin.Name != name) Fail(NameMatchesFile, $"metadata.name is {plugin.Name}, the file says {name}");

        if (string.IsNullOrEmpty(plugin.ShortDescription)) Fail(ShortDescription, "no shortDescription");
        else if (plugin.ShortDescription.AsSpan().IndexOfAny('\r', '\n') >= 0) Fail(ShortDescriptionOneLine, "shortDescription has a line break");
        else if (plugin.ShortDescription.Length > SearchColumnWidth)
        {
            Fail(ShortDescriptionFitsSearch, $"shortDescription has {plugin.ShortDescription.Length} characters; `kubectl krew search` shows {SearchColumnWidth}");
        }

        if (plugin.Platforms is not { Count: > 0 }) Fail(Platforms, "no platforms");
        if (string.IsNullOrEmpty(plugin.Version)) Fail(Version, "no version");
        else if (!IsKrewSemver(plugin.Version)) Fail(Version, $"version {plugin.Version} is not v + a semantic version (vMAJOR.MINOR.PATCH[-pre][+build])");

        var platforms = plugin.Platforms ?? [];
        for (var i = 0; i < platforms.Count; i++)
        {
            foreach (var (rule, message) in PlatformViolations(platforms[i])) Fail(rule, $"platforms[{i}]: {message}");
        }

        // validate-krew-manifest: every platform serves a platform krew knows, and no platform is served twice.
        for (var i = 0; i < platforms.Count; i++)
        {
            if (platforms[i].Selector is { } selector && !SupportedPlatforms.Any(p => Matches(selector, p.Os, p.Arch)))
            {
                Fail(SupportedPlatform, $"platforms[{i}] selects no os/arch krew supports");
            }
        }

        foreach (var (os, arch) in SupportedPlatforms)
        {
            var matching = Enumerable.Range(0, platforms.Count).Where(i => platforms[i].Selector is { } s && Matches(s, os, arch)).ToList();
            if (matching.Count > 1) Fail(NoOverlap, $"platforms {string.Join(", ", matching)} all select {os}/{arch}");
        }

        return found;
    }

    /// <summary>validate.go validatePlatform, validateFiles and validateSelector; install.go's check of bin.</summary>
    private static IEnumerable<(string Rule, string Message)> PlatformViolations(KrewPlatform platform)
    {
        if (string.IsNullOrEmpty(platform.Uri)) yield return (Uri, "no uri");
        if (string.IsNullOrEmpty(platform.Sha256)) yield return (Sha256, "no sha256");
        else if (!Sha256Pattern().IsMatch(platform.Sha256)) yield return (Sha256, $"sha256 {platform.Sha256} is not 64 lowercase hex digits");
        if (string.IsNullOrEmpty(platform.Bin)) yield return (Bin, "no bin");
        else if (!IsInsideInstallDir(platform.Bin)) yield return (BinInsideInstallDir, $"bin {platform.Bin} points outside the plugin's install directory");

        // No files at all is allowed (krew then copies the whole archive); an empty list or a half operation is not.
        if (platform.Files is { Count: 0 }) yield return (Files, "files is empty (leave it out instead)");
        foreach (var file in platform.Files ?? [])
        {
            if (string.IsNullOrEmpty(file.From)) yield return (Files, "a file operation has no from");
            else if (string.IsNullOrEmpty(file.To)) yield return (Files, $"the file operation from {file.From} has no to");
        }

        foreach (var message in SelectorViolations(platform.Selector)) yield return (Selector, message);
    }

    private static IEnumerable<string> SelectorViolations(KrewSelector? selector)
    {
        if (selector is null)
        {
            yield return "no selector";
            yield break;
        }

        if (selector.MatchLabels is null && selector.MatchExpressions is not { Count: > 0 }) yield return "empty selector";
        var keys = (selector.MatchLabels?.Keys ?? []).Concat((selector.MatchExpressions ?? []).Select(e => e.Key ?? ""));
        foreach (var key in keys.Where(k => k is not ("os" or "arch"))) yield return $"selector key {key} (only os and arch)";
        if (selector.MatchLabels is { Count: 0 }) yield return "matchLabels given but empty";
        if (selector.MatchExpressions is { Count: 0 }) yield return "matchExpressions given but empty";
    }

    /// <summary>
    /// krew's semver.Parse: a leading "v", then what ParseSemantic accepts — exactly three numeric parts with no leading
    /// zeros, an optional pre-release (its numeric identifiers without leading zeros too) and optional build metadata.
    /// </summary>
    public static bool IsKrewSemver(string version)
    {
        var match = SemverPattern().Match(version);
        return match.Success && match.Groups["pre"].Value.Split('.').All(id => !(id.Length > 1 && id[0] == '0' && id.All(char.IsAsciiDigit)));
    }

    /// <summary>A label selector over {os, arch}, as metav1.LabelSelectorAsSelector reads it; an unknown operator selects nothing.</summary>
    public static bool Matches(KrewSelector selector, string os, string arch)
    {
        var labels = new Dictionary<string, string> { ["os"] = os, ["arch"] = arch };
        var byLabels = (selector.MatchLabels ?? new Dictionary<string, string>()).All(l => labels.GetValueOrDefault(l.Key) == l.Value);
        return byLabels && (selector.MatchExpressions ?? []).All(e => e.Operator switch
        {
            "In" => labels.TryGetValue(e.Key ?? "", out var v) && e.Values.Contains(v),
            "NotIn" => !(labels.TryGetValue(e.Key ?? "", out var v) && e.Values.Contains(v)),
            "Exists" => labels.ContainsKey(e.Key ?? ""),
            "DoesNotExist" => !labels.ContainsKey(e.Key ?? ""),
            _ => false,
        });
    }

    /// <summary>install.go joins bin to the install directory and refuses a path that leaves it.</summary>
    private static bool IsInsideInstallDir(string bin)
    {
        var installDir = Path.Combine(Path.GetTempPath(), "krew-install-dir");
        var full = Path.GetFullPath(Path.Combine(installDir, bin));
        return full.StartsWith(installDir + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    // Go's \w is ASCII only (.NET's would let any Unicode letter through), and Go's $ is the end of the text (\z here).
    [GeneratedRegex(@"^[0-9A-Za-z_-]+\z")]
    private static partial Regex SafeNamePattern();

    [GeneratedRegex(@"^[a-f0-9]{64}\z")]
    private static partial Regex Sha256Pattern();

    [GeneratedRegex(@"^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-(?<pre>[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?\z")]
    private static partial Regex SemverPattern();
}
