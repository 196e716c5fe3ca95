using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Events;
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
    public async Task Probes_answer_and_metrics_count_reconciles_by_controller_and_result()
    {
        await _sandbox.InstallCrdsAsync();
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        using var http = new HttpClient();
        var url = op.Urls[0];
        await _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, "default", StatusWriterTests.NewNode("default", "metered-" + Guid.NewGuid().ToString("N")[..6]), CancellationToken.None);

        await Eventually.TrueAsync(async () => (await http.GetAsync(url + "/readyz")).IsSuccessStatusCode, "ready");
        await Eventually.TrueAsync(async () => (await http.GetStringAsync(url + "/metrics")).Contains("controller_runtime_reconcile_total{controller=\"flock-training-node\",result=\"success\"}", StringComparison.Ordinal), "reconcile counted");
        var metrics = await http.GetStringAsync(url + "/metrics");

        Assert.Equal("ok", await http.GetStringAsync(url + "/healthz"));
        Assert.Contains("# TYPE controller_runtime_reconcile_total counter", metrics);
        Assert.Contains("workqueue_adds_total{name=\"flock-training-node\"}", metrics);
        Assert.Contains("leader_election_master_status{name=\"flock-operator\"} 1", metrics);
        AssertPromtoolAccepts(metrics);
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
