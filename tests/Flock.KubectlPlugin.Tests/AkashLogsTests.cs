using System.Text.Json.Nodes;
using Flock.Akash.Chain;
using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Akash.ProviderApi;
using Flock.Akash.Sdl;
using Flock.Crds.V1Alpha1;
using Flock.KubectlPlugin.Tests.Support;
using Flock.Sandbox.AkashChain;
using Flock.Sandbox.AkashProvider;
using k8s;
using k8s.Models;

namespace Flock.KubectlPlugin.Tests;

/// <summary>`kubectl flock logs` of a worker on Akash: the lines come from its provider, asked with the account's JWT.</summary>
[Collection(PluginCollection.Name)]
public sealed class AkashLogsTests(PluginWorld world)
{
    [Fact]
    public async Task Akash_worker_logs_come_from_the_provider_of_its_lease()
    {
        await using var chain = await AkashChainSimulator.StartAsync(new AkashChainOptions { BlockInterval = TimeSpan.FromMilliseconds(100) });
        await using var fleet = await ProviderFleet.StartAsync(chain, [new SimulatedProviderOptions { Name = "p" }]);
        var mnemonic = new NBitcoin.Mnemonic(NBitcoin.Wordlist.English, NBitcoin.WordCount.TwentyFour).ToString();
        using var wallet = Wallet.FromMnemonic(mnemonic);
        await chain.FundAsync(wallet.Address, 50_000_000, "uakt");
        await chain.FundAsync(wallet.Address, 50_000_000, "uact");
        using var client = new AkashChainClient(new AkashClientOptions(new Uri(chain.GrpcUrl), chain.ChainId));
        var submitter = new TxSubmitter(client, new SigningLanes(), new TxSubmitterOptions(PollInterval: TimeSpan.FromMilliseconds(100)));

        // The lease a worker would have: deployment, the provider's bid, lease, manifest.
        var sdl = SdlRenderer.Compile(new WorkerSdlRequest
        {
            ServiceName = "flock-train", Image = "public.ecr.aws/e7z6j8c3/flock:training-quickstart-akash", GpuModels = ["h100"], PriceAmount = "10000",
            Env = [new SdlEnvVar("TASK_ID", "12")],
        });
        var dseq = (ulong)chain.Height;
        await submitter.SubmitAsync(wallet, [AkashMessages.CreateDeployment(wallet.Address, dseq, sdl.Groups, sdl.Version, AkashMessages.Coin(5_000_000, "uact"))]);
        await Eventually.TrueAsync(async () => (await client.ListBidsAsync(wallet.Address, dseq, "open")).Count == 1, "the provider bid");
        var bid = (await client.ListBidsAsync(wallet.Address, dseq, "open"))[0].Bid;
        await submitter.SubmitAsync(wallet, [AkashMessages.CreateLease(bid.Id)]);
        using var providers = new ProviderClient();
        await Eventually.TrueAsync(() => Task.FromResult(fleet["p"].ActiveLeases == 1), "the provider noticed its lease");
        await providers.SendManifestAsync(await ProviderEndpoint.ResolveAsync(client, bid.Id.Provider), dseq, sdl.ManifestJson, ProviderAuth.Jwt(wallet));

        const string ns = "akash-logs";
        await world.CreateNamespaceAsync(ns);
        using (var kube = world.Client())
        {
            await kube.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "akash-wallet" }, StringData = new Dictionary<string, string> { ["mnemonic"] = mnemonic } }, ns);
        }

        await world.CreateAsync(Resources.TrainingNodes, ns, Resources.TrainingNode("leased", ns, "Akash"), new FlockTrainingNodeStatus
        {
            Phase = Phase.Running,
            Workload = new WorkloadStatus { Backend = Backend.Akash, Ready = true },
            Akash = new AkashStatus { Owner = wallet.Address, Provider = bid.Id.Provider, Dseq = (long)dseq, Gseq = 1, Oseq = 1 },
        });

        // The account's Secret is read, so this runs with the admin kubeconfig (the viewer cannot read Secrets).
        ProcessResult result = null!;
        await Eventually.TrueAsync(async () =>
        {
            result = await PluginWorld.PluginAsync(["logs", "leased", "-n", ns, "--tail", "3", "--akash-node", chain.GrpcUrl, "--kubeconfig", world.AdminKubeconfig]);
            return result.ExitCode == 0 && result.StdOut.Length > 0;
        }, "the provider's log lines");

        var lines = result.StdOut.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("[", l, StringComparison.Ordinal));
        Assert.DoesNotContain(mnemonic.Split(' ')[0] + " " + mnemonic.Split(' ')[1] + " " + mnemonic.Split(' ')[2], result.StdOut + result.StdErr, StringComparison.Ordinal);

        var viewer = await PluginWorld.PluginAsync(["logs", "leased", "-n", ns, "--akash-node", chain.GrpcUrl, "--kubeconfig", world.ViewerKubeconfig]);
        Assert.Equal(1, viewer.ExitCode);
        Assert.Contains("provider logs need read access to it", viewer.StdErr, StringComparison.Ordinal);
    }
}
