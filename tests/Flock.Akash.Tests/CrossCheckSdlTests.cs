using System.Text.Json;
using Flock.Akash.Sdl;
using Google.Protobuf;

namespace Flock.Akash.Tests;

/// <summary>
/// Our SDL compiler against chain-sdk 1.0.0-alpha.25's TypeScript implementation (run by node from
/// .tools/npm): for every SDL of the corpus, the group specs' protobuf bytes, the manifest's sorted JSON and
/// the manifest version hash must be identical, and every SDL must pass the package's SDL JSON schema.
/// </summary>
public class CrossCheckSdlTests
{
    [Fact]
    public async Task Group_specs_manifest_and_version_equal_chain_sdk_for_the_whole_corpus()
    {
        var corpus = SdlCorpus.All();
        Assert.True(corpus.Count >= 80, $"corpus has only {corpus.Count} SDLs");
        var reference = await NodeReference.RunAsync("sdl.cjs", corpus.Select(c => c.Yaml).ToArray(), CancellationToken.None);
        Assert.True(reference.GetProperty("schemaShipped").GetBoolean(), "chain-sdk's validator is not compiled from the sdl-schema.yaml it ships");
        var results = reference.GetProperty("results");
        Assert.Equal(corpus.Count, results.GetArrayLength());

        var failures = new List<string>();
        for (var i = 0; i < corpus.Count; i++)
        {
            var (name, yaml) = corpus[i];
            var expected = results[i];
            if (expected.TryGetProperty("errors", out var errors))
            {
                failures.Add($"{name}: chain-sdk rejects it: {string.Join("; ", errors.EnumerateArray().Select(e => e.GetString()))}");
                continue;
            }

            CompiledSdl ours;
            try
            {
                ours = SdlCompiler.Compile(yaml);
            }
            catch (SdlException e)
            {
                failures.Add($"{name}: we reject it: {e.Message}");
                continue;
            }

            var groups = expected.GetProperty("groupSpecsHex").EnumerateArray().Select(e => e.GetString()).ToList();
            var ourGroups = ours.Groups.Select(g => Convert.ToHexStringLower(g.ToByteArray())).ToList();
            if (!groups.SequenceEqual(ourGroups))
            {
                failures.Add($"{name}: group specs differ\n  chain-sdk: {string.Join(",", groups)}\n  ours:      {string.Join(",", ourGroups)}");
            }

            var json = expected.GetProperty("manifestJson").GetString();
            if (json != ours.ManifestJson)
            {
                failures.Add($"{name}: manifest JSON differs\n  chain-sdk: {json}\n  ours:      {ours.ManifestJson}");
            }

            if (expected.GetProperty("versionHex").GetString() != Convert.ToHexStringLower(ours.Version))
            {
                failures.Add($"{name}: version differs");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {corpus.Count} SDLs differ:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Invalid_sdls_are_rejected_by_both()
    {
        var seed = File.ReadAllText(Path.Combine(Repo.SeedTemplates, "flock-training-node.sdl.yaml"));
        string[] invalid =
        [
            seed.Replace("    image: public.ecr.aws/e7z6j8c3/flock:training-quickstart-akash\n", "", StringComparison.Ordinal),
            seed.Replace("  flock-train:\n    akash:\n      profile: flock-train", "  flock-train:\n    nowhere:\n      profile: flock-train", StringComparison.Ordinal),
            seed.Replace("      profile: flock-train\n", "      profile: missing\n", StringComparison.Ordinal),
            seed.Replace("          attributes:\n            vendor:", "          attributesX:\n            vendor:", StringComparison.Ordinal),
            seed.Replace("version: \"2.0\"", "version: \"3.0\"", StringComparison.Ordinal),
            seed.Replace("denom: uakt", "denom: eth", StringComparison.Ordinal),
            seed.Replace("      - port: 3000", "      - port: 70000", StringComparison.Ordinal),
            seed.Replace("        storage:\n          size: 100Gi", "        storage:\n          size: 100Gi\n          attributes:\n            persistent: true", StringComparison.Ordinal),
        ];
        var reference = await NodeReference.RunAsync("sdl.cjs", invalid, CancellationToken.None);
        var results = reference.GetProperty("results");
        for (var i = 0; i < invalid.Length; i++)
        {
            Assert.True(results[i].TryGetProperty("errors", out _), $"chain-sdk accepts invalid SDL {i}");
            Assert.Throws<SdlException>(() => SdlParser.Parse(invalid[i]));
        }
    }
}
