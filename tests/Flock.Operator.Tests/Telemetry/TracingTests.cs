using System.Diagnostics;
using Flock.Akash.Diagnostics;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Telemetry;
using Flock.Operator.Tests.Integration;
using Flock.Operator.Workers;
using Flock.Sandbox.Evm;
using Flock.Sandbox.FlockApi;
using k8s;
using k8s.Models;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Flock.Operator.Tests.Telemetry;

/// <summary>
/// The operator's traces as an OTLP backend would receive them (OpenTelemetry's in-memory exporter on the same
/// sources): a reconcile is the root of a trace holding the Kubernetes calls it made; the FLock task and stake reads,
/// which the trackers make on their own schedule for every resource at once, are traces of their own with the HTTP
/// and JSON-RPC calls as children. No span carries a secret.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TracingTests
{
    private const string ApiKey = "flock-key-5d2f9a71c3";
    private const string HfToken = "hf_tr4ced_t0ken_81c4e6";
    private readonly Integration.Sandbox _sandbox;

    public TracingTests(Integration.Sandbox sandbox) => _sandbox = sandbox;

    private async Task<(string Ns, long TaskId, SandboxAccount Account)> SetUpAsync()
    {
        await _sandbox.InstallCrdsAsync();
        var ns = "traced-" + Guid.NewGuid().ToString("N")[..8];
        var client = _sandbox.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "flock" }, StringData = new Dictionary<string, string> { ["api-key"] = ApiKey } }, ns);
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "hf" }, StringData = new Dictionary<string, string> { ["username"] = "u", ["token"] = HfToken } }, ns);
        // A task of this test alone, so its FLock and stake spans cannot come from another test's operator.
        var taskId = Random.Shared.NextInt64(3_000_000, 4_000_000);
        _sandbox.FlockApi.AddTask(SimulatedTask.Open(taskId, DateTimeOffset.UtcNow, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        await _sandbox.Evm.CreateTaskAsync(taskId);
        var account = _sandbox.Evm.Accounts[2];
        await _sandbox.Evm.MintAsync(account.Address, 10_000 * EvmSandbox.OneToken);
        await _sandbox.Evm.StakeAsNodeAsync(account, taskId, 3000 * EvmSandbox.OneToken);
        return (ns, taskId, account);
    }

    [Fact]
    public async Task A_reconcile_is_one_trace_with_its_kubernetes_calls_and_task_and_stake_reads_are_traces_of_their_own()
    {
        var spans = new SpanLog();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(OperatorDiagnostics.Name, AkashDiagnostics.Name).AddInMemoryExporter(spans).Build();
        var (ns, taskId, account) = await SetUpAsync();
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        var node = StatusWriterTests.NewNode(ns, "traced", account.Address, StakeGate.Required);
        node.Spec = node.Spec with { TaskId = taskId };
        await _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, node, CancellationToken.None);

        // Staked, so the reconcile created the worker and wrote status; the spans of those calls are then exported.
        await Eventually.TrueAsync(() =>
        {
            var calls = Reconciles(spans.Snapshot(), ns).SelectMany(r => spans.ChildrenOf(r)).Select(s => s.DisplayName).ToHashSet();
            return calls.Contains("PATCH deployments") && calls.Contains("PUT flocktrainingnodes/status");
        }, "reconcile spans with the deployment apply and the status write");
        var all = spans.Snapshot();
        var reconciles = Reconciles(all, ns);
        var kubeCalls = reconciles.SelectMany(r => all.ChildrenOf(r)).ToList();

        Assert.All(reconciles, r =>
        {
            Assert.Equal(default, r.ParentSpanId);
            Assert.Equal(ActivityKind.Internal, r.Kind);
            Assert.Equal("flock-training-node", r.Tag("controller"));
            Assert.Contains(r.Tag("result"), new[] { "success", "requeue_after", "error" });
        });
        var finalizer = Assert.Single(kubeCalls, s => s.DisplayName == "PATCH flocktrainingnodes");
        var status = kubeCalls.First(s => s.DisplayName == "PUT flocktrainingnodes/status" && s.Tag("http.response.status_code") == "200");
        var apply = kubeCalls.First(s => s.DisplayName == "PATCH deployments");
        foreach (var call in new[] { finalizer, status, apply })
        {
            Assert.Equal(ActivityKind.Client, call.Kind);
            Assert.Equal(ns, call.Tag("k8s.namespace.name"));
            Assert.Equal(call.DisplayName.Split(' ')[0], call.Tag("http.request.method"));
        }

        Assert.Equal($"/apis/flock.io/v1alpha1/namespaces/{ns}/flocktrainingnodes/traced/status", status.Tag("url.path"));
        // Kubernetes calls outside a reconcile (informers, leader election) make no root spans.
        Assert.DoesNotContain(all, s => s.Source.Name == OperatorDiagnostics.Name && s.Tag("k8s.resource") is not null && s.ParentSpanId == default);

        var taskRead = all.First(s => s.DisplayName == "flock get_task" && s.Tag("flock.task_id") == taskId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ActivityKind.Client, taskRead.Kind);
        Assert.Equal("200", taskRead.Tag("http.response.status_code"));
        Assert.Equal(new Uri(_sandbox.FlockApi.BaseUrl).Host, taskRead.Tag("server.address"));

        var stakeRead = all.First(s => s.DisplayName == "read stake" && s.Tag("flock.task_id") == taskId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var rpcCalls = all.ChildrenOf(stakeRead).ToList();
        Assert.Equal(["eth_blockNumber", "eth_call", "eth_chainId", "eth_getCode"], rpcCalls.Select(c => c.DisplayName).Distinct().Order());
        Assert.Equal(4, rpcCalls.Count(c => c.DisplayName == "eth_call"));
        Assert.All(rpcCalls, c => Assert.Equal(("jsonrpc", ActivityKind.Client), (c.Tag("rpc.system"), c.Kind)));

        var exported = string.Join("\n", all.Select(s => s.Text()));
        foreach (var secret in new[] { ApiKey, HfToken, _sandbox.Server.AdminToken, "Bearer", "authorization" })
        {
            Assert.DoesNotContain(secret, exported, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static List<Activity> Reconciles(IEnumerable<Activity> spans, string ns) =>
        spans.Where(s => s.DisplayName == "reconcile FlockTrainingNode" && s.Tag("namespace") == ns && s.Tag("name") == "traced").ToList();
}
