using Flock.Akash.Crypto;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Tests.Integration;
using Flock.Operator.Workers;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace Flock.Operator.Tests.Resilience;

/// <summary>
/// Collections marked this way run after every parallel collection has finished (xunit runs non-parallel collections
/// last), so the scan below sees the whole test run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SecretScanCollection
{
    public const string Name = "Secret scan of the whole test run";
}

/// <summary>
/// Issue 11 item 4: every log line, event, status, span value and exception message of the whole test run is scanned
/// for every secret value the tests put into Secrets (FLock API keys, Hugging Face tokens, Akash mnemonics as runs of
/// three words). Zero hits. Its own scenario (an Akash worker, and one whose mnemonic is invalid) makes sure there is
/// always something to scan, even when this class runs alone.
/// </summary>
[Collection(SecretScanCollection.Name)]
public sealed class SecretScanTests(AkashSandbox sandbox, ITestOutputHelper output) : IClassFixture<AkashSandbox>
{
    [Fact]
    public void The_scan_finds_a_planted_secret_and_never_quotes_it()
    {
        var record = new TestRunRecord(listen: false);
        var mnemonic = new NBitcoin.Mnemonic(NBitcoin.Wordlist.English, NBitcoin.WordCount.Twelve).ToString();
        record.Secret("flock-key-planted-1234", "planted API key");
        record.Secret(mnemonic, "planted mnemonic");
        record.Secret("k", "a value too short to scan");
        record.Line("reconciled fine");
        record.Line("oops: header flock-key-planted-1234 sent");
        record.Line("wallet " + string.Join(' ', mnemonic.Split(' ')[4..7]) + " derived");

        var result = record.Scan();

        Assert.Equal(2, result.Hits.Count);
        Assert.All(result.Hits, h => Assert.DoesNotContain("flock-key-planted-1234", h));
        Assert.DoesNotContain(string.Join(' ', mnemonic.Split(' ')[4..7]), string.Join("\n", result.Hits));
        Assert.Equal(1, result.TooShort);
        Assert.Equal(1 + 10, result.Secrets);
    }

    [Fact]
    public async Task Nothing_the_whole_test_run_wrote_contains_a_secret()
    {
        await RunOwnScenarioAsync();
        await TestRunRecord.Run.CaptureAsync(sandbox);

        var result = TestRunRecord.Run.Scan();

        var summary = $"Secret scan of the test run: {result}";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        Assert.Empty(TestRunRecord.Run.CaptureFailures);
        Assert.True(result.Hits.Count == 0, string.Join("\n", result.Hits));
        Assert.True(result.Lines > 0 && result.Statuses > 0 && result.Events > 0 && result.Secrets > 0, summary);
    }

    /// <summary>An in-process operator with an Akash worker (valid wallet, so it signs and broadcasts) and one whose mnemonic fails its checksum.</summary>
    private async Task RunOwnScenarioAsync()
    {
        await sandbox.InstallCrdsAsync();
        var ns = "scan-" + Guid.NewGuid().ToString("N")[..8];
        var good = new NBitcoin.Mnemonic(NBitcoin.Wordlist.English, NBitcoin.WordCount.TwentyFour).ToString();
        var words = good.Split(' ');
        words[^1] = words[^1] == "abandon" ? "zoo" : "abandon"; // the checksum no longer matches
        var bad = string.Join(' ', words);
        using (var wallet = Wallet.FromMnemonic(good))
        {
            await sandbox.Chain.FundAsync(wallet.Address, 50_000_000, "uakt");
            await sandbox.Chain.FundAsync(wallet.Address, 50_000_000, "uact");
        }

        var client = sandbox.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        foreach (var (name, data) in new (string, Dictionary<string, string>)[]
                 {
                     ("flock", new() { ["api-key"] = $"flock-key-scan-{Guid.NewGuid():N}" }),
                     ("hf", new() { ["username"] = "u", ["token"] = $"hf_scan_{Guid.NewGuid():N}" }),
                     ("wallet", new() { ["mnemonic"] = good }),
                     ("wallet-bad", new() { ["mnemonic"] = bad }),
                 })
        {
            await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = name }, StringData = data }, ns);
        }

        await using var op = await OperatorHarness.StartAsync(sandbox, [.. sandbox.OperatorArgs, "--watch-namespaces", ns]);
        var rest = sandbox.Rest();
        foreach (var (name, secret) in new[] { ("good", "wallet"), ("bad", "wallet-bad") })
        {
            var node = StatusWriterTests.NewNode(ns, name);
            node.Spec = node.Spec with
            {
                Placement = new PlacementSpec
                {
                    Mode = PlacementMode.Akash,
                    Akash = new AkashPlacement
                    {
                        AccountSecretRef = new SecretKeySelector { Name = secret, Key = "mnemonic" },
                        MaxPrice = new AkashCoin { Denom = AkashDenom.Uact, Amount = "1000" },
                        Deposit = new AkashCoin { Denom = AkashDenom.Uact, Amount = "5000000" },
                    },
                },
            };
            await rest.CreateAsync(FlockKinds.TrainingNode.Resource, ns, node, CancellationToken.None);
        }

        Task<FlockTrainingNode> Get(string name) => rest.GetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, name, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await Get("good")).Status?.Akash?.LeaseState == "awaiting-bids", "the good wallet's deployment is open");
        await Eventually.TrueAsync(async () => (await Get("bad")).Status?.Conditions?.Any(c => c.Type == "Stalled" && c.Reason == "InvalidMnemonic") == true,
            "the bad wallet is reported as InvalidMnemonic");
        foreach (var name in new[] { "good", "bad" }) await rest.DeleteAsync(FlockKinds.TrainingNode.Resource, ns, name, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await rest.ListAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, new Flock.Operator.Runtime.Client.ListOptions(), CancellationToken.None)).Items.Count == 0,
            "both deleted (the good one's deployment closed)");
    }
}
