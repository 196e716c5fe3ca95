using Flock.Crds.V1Alpha1;
using Flock.KubectlPlugin.Tests.Support;

namespace Flock.KubectlPlugin.Tests;

/// <summary>`kubectl flock status`: one line per resource, every cell from its status, as the read-only viewer.</summary>
[Collection(PluginCollection.Name)]
public sealed class StatusTests(PluginWorld world) : IAsyncLifetime
{
    private static readonly string[] Headers =
        ["NAMESPACE", "NAME", "KIND", "PHASE", "TASK", "STAKE", "BACKEND", "PROVIDER", "PRICE/H", "ESCROW LEFT", "TIME-TO-DRAIN"];

    private const string Provider = "akash1u5cdg7k3gl43mukca4aeultuz8x2j68mgwn28e";

    public Task InitializeAsync() => world.SeedOnceAsync(nameof(StatusTests), SeedAsync);

    private async Task SeedAsync()
    {
        foreach (var ns in new[] { "one", "two", "empty" }) await world.CreateNamespaceAsync(ns);
        await world.CreateAsync(Resources.TrainingNodes, "one", Resources.TrainingNode("leased", "one", "Akash"), new FlockTrainingNodeStatus
        {
            Phase = Phase.Running,
            Workload = new WorkloadStatus { Backend = Backend.Akash, Ready = true },
            Staking = new StakingStatus { Address = "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c", Amount = "3000000000000000000000", Eligible = true },
            Akash = new AkashStatus
            {
                Owner = "akash1zqz2x0hw0y5v8s9hlxvnkuurdgfm3zfqyz8f9e", Dseq = 21_000_123, Provider = Provider,
                Price = "12.5uact", EscrowBalance = "5000000uact", Runway = 20_000, LeaseState = "active",
            },
        });
        // The operator wrote the hourly price itself, and no runway: the time to drain follows from balance and price.
        await world.CreateAsync(Resources.TrainingNodes, "one", Resources.TrainingNode("hourly", "one", "Akash"), new FlockTrainingNodeStatus
        {
            Phase = Phase.Degraded,
            Workload = new WorkloadStatus { Backend = Backend.Akash },
            Akash = new AkashStatus { Provider = Provider, Price = "12.5uact", PricePerHour = "7300uact", EscrowBalance = "150uact" },
        });
        await world.CreateAsync(Resources.Validators, "one", Resources.Validator("scoring", "one", 7, 8, 9), new FlockValidatorStatus
        {
            Phase = Phase.AwaitingStake,
            Workload = new WorkloadStatus { Backend = Backend.InCluster },
            Staking = new StakingStatus
            {
                Amount = "100500000000000000000", Eligible = false,
                Tasks = [new TaskStake { TaskId = 7, Amount = "100500000000000000000", Minimum = "3000000000000000000000", Eligible = false }],
            },
        });
        await world.CreateAsync(Resources.TrainingNodes, "two", Resources.TrainingNode("fresh", "two"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<PrintedTable> StatusAsync(params string[] args)
    {
        var result = await PluginWorld.PluginAsync(["status", "--kubeconfig", world.ViewerKubeconfig, .. args]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return PrintedTable.Parse(result.StdOut, Headers);
    }

    [Fact]
    public async Task Table_has_the_columns_and_the_current_contexts_namespace()
    {
        var table = await StatusAsync();

        Assert.Equal(Headers, table.Headers);
        Assert.Equal(["hourly", "leased", "scoring"], table.Rows.Select(r => r["NAME"]));
        Assert.All(table.Rows, r => Assert.Equal("one", r["NAMESPACE"]));
    }

    [Fact]
    public async Task Akash_row_shows_provider_price_per_hour_escrow_and_time_to_drain()
    {
        var row = (await StatusAsync()).Row("leased");

        Assert.Equal("FlockTrainingNode", row["KIND"]);
        Assert.Equal("Running", row["PHASE"]);
        Assert.Equal("12", row["TASK"]);
        Assert.Equal("3000", row["STAKE"]); // gmFLOCK; status has wei
        Assert.Equal("Akash", row["BACKEND"]);
        Assert.Equal(Provider, row["PROVIDER"]);
        Assert.Equal("0.007289 ACT", row["PRICE/H"]); // 12.5 uact per block × 3600 s / 6.174 s per block = 7288.63 uact
        Assert.Equal("5 ACT", row["ESCROW LEFT"]);
        Assert.Equal("1d10h", row["TIME-TO-DRAIN"]); // 20000 blocks × 6.174 s = 34.3 h
    }

    [Fact]
    public async Task Status_figures_win_and_missing_ones_are_derived()
    {
        var row = (await StatusAsync()).Row("hourly");

        Assert.Equal("0.0073 ACT", row["PRICE/H"]);
        Assert.Equal("0.00015 ACT", row["ESCROW LEFT"]);
        Assert.Equal("1m", row["TIME-TO-DRAIN"]); // 150 / 12.5 = 12 blocks ≈ 74 s
        Assert.Equal("-", row["STAKE"]);
    }

    [Fact]
    public async Task Validator_row_lists_its_tasks_and_a_stake_below_the_minimum()
    {
        var row = (await StatusAsync()).Row("scoring");

        Assert.Equal("FlockValidator", row["KIND"]);
        Assert.Equal("AwaitingStake", row["PHASE"]);
        Assert.Equal("7,8,9", row["TASK"]);
        Assert.Equal("100.5 (below min)", row["STAKE"]);
        Assert.Equal("InCluster", row["BACKEND"]);
        Assert.Equal(["-", "-", "-", "-"], new[] { row["PROVIDER"], row["PRICE/H"], row["ESCROW LEFT"], row["TIME-TO-DRAIN"] });
    }

    [Fact]
    public async Task Namespace_flags_choose_what_is_listed()
    {
        var all = await StatusAsync("-A");
        var byFlag = await StatusAsync("-n", "two");
        var byContext = await StatusAsync("--context", "two");

        Assert.Equal(4, all.Rows.Count(r => r["NAMESPACE"] is "one" or "two"));
        var fresh = all.Row("fresh", "two");
        Assert.Equal(["-", "-", "-"], new[] { fresh["PHASE"], fresh["STAKE"], fresh["BACKEND"] });
        Assert.Equal("fresh", Assert.Single(byFlag.Rows)["NAME"]);
        Assert.Equal("fresh", Assert.Single(byContext.Rows)["NAME"]);
    }

    [Fact]
    public async Task Kubectl_runs_the_plugin_found_on_PATH_with_KUBECONFIG()
    {
        var environment = world.KubectlPluginEnvironment();

        var viaKubectl = await world.KubectlAsync(["flock", "status", "-A"], environment);
        var direct = await world.PluginBinaryAsync(["status", "-A", "--kubeconfig", world.ViewerKubeconfig]);

        Assert.True(viaKubectl.ExitCode == 0, viaKubectl.ToString());
        Assert.True(direct.ExitCode == 0, direct.ToString());
        Assert.Equal(direct.StdOut, viaKubectl.StdOut);
        Assert.Equal("0.007289 ACT", PrintedTable.Parse(viaKubectl.StdOut, Headers).Row("leased", "one")["PRICE/H"]);
        var plugins = await world.KubectlAsync(["plugin", "list"], environment);
        Assert.Contains(Path.Combine(Repo.PluginDir, "kubectl-flock"), plugins.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_namespace_says_so()
    {
        var result = await PluginWorld.PluginAsync(["status", "--kubeconfig", world.ViewerKubeconfig, "-n", "empty"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("No FlockTrainingNode or FlockValidator found in namespace empty.\n", result.StdOut);
    }

    [Fact]
    public async Task Bad_kubeconfig_or_missing_rights_give_a_clear_error()
    {
        var missing = await PluginWorld.PluginAsync(["status", "--kubeconfig", Path.Combine(world.Dir, "nope.kubeconfig")]);
        var strangerConfig = world.Server.WriteKubeconfig(Path.Combine(world.Dir, "stranger.kubeconfig"), world.Server.RegisterUserToken("stranger", ["system:authenticated"]));
        var stranger = await PluginWorld.PluginAsync(["status", "--kubeconfig", strangerConfig, "-n", "one"]);
        var unknownContext = await PluginWorld.PluginAsync(["status", "--kubeconfig", world.ViewerKubeconfig, "--context", "nowhere"]);

        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error: kubeconfig ", missing.StdErr, StringComparison.Ordinal);
        Assert.Contains("does not exist", missing.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, stranger.ExitCode);
        Assert.Contains("not allowed to read flocktrainingnodes.flock.io in namespace one", stranger.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, unknownContext.ExitCode);
        Assert.Contains("nowhere", unknownContext.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", missing.StdErr + stranger.StdErr + unknownContext.StdErr, StringComparison.Ordinal);
    }
}
