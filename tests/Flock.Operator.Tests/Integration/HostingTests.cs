using System.Text.Json.Nodes;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Events;
using Flock.Operator.Tests.Telemetry;
using Flock.Operator.Workers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Operator.Tests.Integration;

/// <summary>What the operator process offers around its controllers: probes, metrics, events.</summary>
public sealed class HostingTests : IClassFixture<Sandbox>
{
    private readonly Sandbox _sandbox;

    public HostingTests(Sandbox sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task Probes_answer_and_metrics_show_reconciles_queues_requests_outside_calls_and_status_in_a_valid_exposition()
    {
        await _sandbox.InstallCrdsAsync();
        var ns = await NamespaceWithSecretsAsync();
        var missingTask = Random.Shared.NextInt64(2_000_000, 3_000_000); // unknown to the FLock API: 404
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        using var http = new HttpClient();
        var url = op.Urls[0];
        var rest = _sandbox.Rest();
        await rest.CreateAsync(FlockKinds.TrainingNode.Resource, ns, StatusWriterTests.NewNode(ns, "staked", _sandbox.Staker.Address), CancellationToken.None);
        await rest.CreateAsync(FlockKinds.TrainingNode.Resource, ns, WithTask(StatusWriterTests.NewNode(ns, "lost"), missingTask), CancellationToken.None);
        await rest.CreateAsync(FlockKinds.TrainingNode.Resource, ns, WithRpc(StatusWriterTests.NewNode(ns, "bad-rpc"), "http://127.0.0.1:1"), CancellationToken.None);
        await rest.CreateAsync(FlockKinds.TrainingNode.Resource, ns, OnAkash(StatusWriterTests.NewNode(ns, "leased")), CancellationToken.None);
        await rest.CreateAsync(FlockKinds.Validator.Resource, ns, NewValidator(ns, "checker"), CancellationToken.None);

        await Eventually.TrueAsync(async () => (await http.GetAsync(url + "/readyz")).IsSuccessStatusCode, "ready");
        Exposition m = null!;
        await Eventually.TrueAsync(async () =>
        {
            // Stands in for the Akash backend (not configured here): the gauges read whatever status says.
            await EnsureLeaseStatusAsync(ns, "leased");
            m = Exposition.Parse(await http.GetStringAsync(url + "/metrics"));
            return m.Sum("controller_runtime_reconcile_total", ("controller", "flock-training-node")) > 0
                && m.Sum("controller_runtime_reconcile_total", ("controller", "flock-validator")) > 0
                && m.Sum("flock_api_errors_total", ("kind", "not_found")) > 0
                && m.Sum("flock_evm_errors_total") > 0
                && m.Find("flock_stake_amount", ("name", "staked")).Count > 0
                && m.Find("flock_akash_lease_price", ("name", "leased")).Count > 0;
        }, "every kind of metric has a sample");

        Assert.Equal("ok", await http.GetStringAsync(url + "/healthz"));
        // Controller runtime.
        Assert.True(m.Sum("controller_runtime_reconcile_time_seconds_count", ("controller", "flock-validator")) > 0);
        Assert.Equal(m.Sum("controller_runtime_reconcile_time_seconds_count", ("controller", "flock-training-node")),
            m.Sum("controller_runtime_reconcile_time_seconds_bucket", ("controller", "flock-training-node"), ("le", "+Inf")));
        Assert.True(Assert.Single(m.Find("workqueue_depth", ("name", "flock-training-node"))).Value >= 0);
        Assert.True(m.Sum("workqueue_adds_total", ("name", "flock-validator")) > 0);
        Assert.True(m.Sum("workqueue_queue_duration_seconds_count", ("name", "flock-training-node")) > 0);
        Assert.True(m.Sum("workqueue_work_duration_seconds_count", ("name", "flock-training-node")) > 0);
        Assert.True(m.Sum("flock_informer_relists_total", ("resource", "flocktrainingnodes.flock.io")) >= 1);
        Assert.Single(m.Find("flock_informer_watch_restarts_total", ("resource", "secrets")));
        Assert.Equal(1, Assert.Single(m.Find("leader_election_master_status", ("name", "flock-operator-leader"))).Value);
        var apiServer = new Uri(_sandbox.Server.Url).Authority;
        Assert.True(m.Sum("rest_client_requests_total", ("code", "200"), ("method", "GET"), ("host", apiServer)) > 0);
        Assert.True(m.Sum("rest_client_requests_total", ("code", "200"), ("method", "PUT"), ("host", apiServer)) > 0, "status writes");
        Assert.True(m.Sum("rest_client_request_duration_seconds_count", ("verb", "PATCH"), ("host", apiServer)) > 0);
        // Outside calls.
        Assert.True(m.Sum("flock_api_request_duration_seconds_count", ("operation", "get_task"), ("outcome", "success")) > 0);
        Assert.True(m.Sum("flock_api_request_duration_seconds_count", ("operation", "get_task"), ("outcome", "error")) > 0);
        Assert.True(m.Sum("flock_evm_request_duration_seconds_count", ("method", "eth_call"), ("outcome", "success")) > 0);
        Assert.True(m.Sum("flock_evm_errors_total", ("method", "eth_chainId")) > 0, "the unreachable RPC of bad-rpc");
        // Per resource, from status.
        Assert.Equal(1, m.Sum("flock_worker_phase", ("namespace", ns), ("name", "staked"), ("kind", "FlockTrainingNode")));
        Assert.Equal(1, m.Sum("flock_worker_phase", ("namespace", ns), ("name", "checker"), ("kind", "FlockValidator")));
        Assert.Equal(3000, Assert.Single(m.Find("flock_stake_amount", ("namespace", ns), ("name", "staked"), ("task", "12"))).Value);
        Assert.Equal(12.5, Assert.Single(m.Find("flock_akash_lease_price", ("name", "leased"), ("denom", "uact"))).Value);
        Assert.Equal(4_800_000, Assert.Single(m.Find("flock_akash_escrow_balance", ("name", "leased"), ("denom", "uact"))).Value);
        Assert.Equal(1500, Assert.Single(m.Find("flock_akash_spent_total", ("name", "leased"), ("denom", "uact"))).Value);
        // The runtime: memory, for leak alerts.
        Assert.True(Assert.Single(m.Find("dotnet_process_memory_working_set_bytes")).Value > 0);
        Assert.Single(m.Find("dotnet_gc_last_collection_heap_size_bytes", ("gc_heap_generation", "gen2")));
        // Every resource ends in a condition, not in a failing reconcile (an Akash resource on an operator without an
        // Akash backend once threw on every pass).
        Assert.Equal(0, m.Sum("controller_runtime_reconcile_errors_total"));
        AssertDocumented(m);
        AssertPromtoolAccepts(await http.GetStringAsync(url + "/metrics"));
    }

    /// <summary>Every exposed family is in docs/metrics.md with the same type, and every series has exactly the documented labels.</summary>
    private static void AssertDocumented(Exposition m)
    {
        var documented = MetricsDoc.Read();
        var problems = new List<string>();
        foreach (var (family, type) in m.Types)
        {
            if (!documented.TryGetValue(family, out var doc)) problems.Add($"{family} ({type}) is exposed but not in docs/metrics.md");
            else if (doc.Type != type) problems.Add($"{family} is a {type}, docs/metrics.md says {doc.Type}");
        }

        foreach (var sample in m.Samples)
        {
            if (!documented.TryGetValue(m.FamilyOf(sample), out var doc) || doc.Labels is null) continue;
            var labels = sample.Labels.Keys.Where(k => k is not ("otel_scope_name" or "otel_scope_version" or "le")).ToHashSet();
            if (!labels.SetEquals(doc.Labels)) problems.Add($"{sample.Name} has labels {string.Join(",", labels.Order())}, docs/metrics.md says {string.Join(",", doc.Labels.Order())}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct()));
    }

    private async Task<string> NamespaceWithSecretsAsync()
    {
        var ns = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        var client = _sandbox.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "flock" }, StringData = new Dictionary<string, string> { ["api-key"] = "k" } }, ns);
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "hf" }, StringData = new Dictionary<string, string> { ["username"] = "u", ["token"] = "t" } }, ns);
        return ns;
    }

    private static FlockTrainingNode WithTask(FlockTrainingNode node, long taskId)
    {
        node.Spec = node.Spec with { TaskId = taskId };
        return node;
    }

    private static FlockTrainingNode WithRpc(FlockTrainingNode node, string rpcUrl)
    {
        node.Spec = node.Spec with { Staking = node.Spec.Staking with { Chain = new ChainOverride { RpcUrl = rpcUrl } } };
        return node;
    }

    private static FlockTrainingNode OnAkash(FlockTrainingNode node)
    {
        node.Spec = node.Spec with
        {
            Placement = new PlacementSpec
            {
                Mode = PlacementMode.Akash,
                Akash = new AkashPlacement
                {
                    AccountSecretRef = new SecretKeySelector { Name = "wallet", Key = "mnemonic" },
                    MaxPrice = new AkashCoin { Denom = AkashDenom.Uact, Amount = "10000" },
                    Deposit = new AkashCoin { Denom = AkashDenom.Uact, Amount = "5000000" },
                },
            },
        };
        return node;
    }

    private FlockValidator NewValidator(string ns, string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new FlockValidatorSpec
        {
            TaskIds = [12],
            Credentials = new Credentials
            {
                FlockApiKey = new SecretKeySelector { Name = "flock", Key = "api-key" },
                HuggingFace = new HuggingFaceCredentials { SecretName = "hf" },
            },
            Staking = new StakingSpec { Address = _sandbox.Staker.Address, Gate = StakeGate.Observe },
        },
    };

    private async Task EnsureLeaseStatusAsync(string ns, string name)
    {
        var rest = _sandbox.Rest();
        var node = await rest.GetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, name, CancellationToken.None);
        if (node.Status?.Akash?.Price is not null) return;
        var akash = new JsonObject { ["price"] = "12.5uact", ["pricePerHour"] = "7500uact", ["escrowBalance"] = "4800000uact", ["spent"] = "1500uact" };
        await rest.MergePatchAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, name, new JsonObject { ["status"] = new JsonObject { ["akash"] = akash } },
            CancellationToken.None, subresource: "status");
    }

    /// <summary>The real promtool (Debian's prometheus package, installed by `make tools`) lints the exposition.</summary>
    private static void AssertPromtoolAccepts(string metrics)
    {
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("promtool not found: run `make tools` (it installs Debian's prometheus package)");
        var start = new System.Diagnostics.ProcessStartInfo(promtool) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardInput.Write(metrics);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.True(process.ExitCode == 0 && output.Trim().Length == 0, $"promtool check metrics: exit {process.ExitCode}\n{output}\n---\n{metrics}");
    }

    [Fact]
    public async Task A_repeated_event_is_one_event_with_a_count()
    {
        var rest = _sandbox.Rest();
        var recorder = new EventRecorder(rest, "flock-operator", "test", TimeProvider.System, NullLogger<EventRecorder>.Instance);
        var cm = await _sandbox.Client().CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "evented-" + Guid.NewGuid().ToString("N")[..6] } }, "default");
        cm.ApiVersion = "v1";
        cm.Kind = "ConfigMap";

        await recorder.WarningAsync(cm, "Unschedulable", "no GPU", CancellationToken.None);
        await recorder.WarningAsync(cm, "Unschedulable", "no GPU", CancellationToken.None);
        await recorder.WarningAsync(cm, "Unschedulable", "no GPU", CancellationToken.None);
        await recorder.NormalAsync(cm, "Running", "ok", CancellationToken.None);

        var events = (await _sandbox.Client().CoreV1.ListNamespacedEventAsync("default")).Items.Where(e => e.InvolvedObject.Uid == cm.Metadata.Uid).ToList();
        Assert.Equal(2, events.Count);
        var repeated = events.Single(e => e.Reason == "Unschedulable");
        Assert.Equal(3, repeated.Count);
        Assert.Equal(("Warning", "flock-operator"), (repeated.Type, repeated.Source.Component));
        Assert.True(repeated.LastTimestamp >= repeated.FirstTimestamp);
    }
}
