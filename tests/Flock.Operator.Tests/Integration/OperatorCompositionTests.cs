using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Diagnostics;
using Flock.Operator.Runtime.Hosting;
using Flock.Operator.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Flock.Operator.Tests.Integration;

/// <summary>What the operator hands the generic runtime when it composes the process: its names, its JSON, its defaults.</summary>
public sealed class OperatorCompositionTests
{
    private static readonly string[] Args = ["--kubeconfig", "/nonexistent", "--health-port", "0", "--metrics-port", "0"];

    [Fact]
    public void The_runtime_writes_as_the_operator_and_reports_under_its_names()
    {
        // A connection that is made but never used: building the client reads the kubeconfig, nothing more.
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"composition-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """);
        KubeRestClient client;
        RuntimeDiagnostics diagnostics;
        try
        {
            using var app = OperatorApplication.Build([.. Args, "--kubeconfig", kubeconfig]);
            client = app.Services.GetRequiredService<KubeRestClient>();
            diagnostics = app.Services.GetRequiredService<RuntimeDiagnostics>();
        }
        finally
        {
            File.Delete(kubeconfig);
        }

        Assert.Equal("flock-operator", client.FieldManager);
        Assert.Same(OperatorClient.Json, client.Json);
        Assert.Equal((OperatorDiagnostics.Name, OperatorDiagnostics.Name), (diagnostics.MeterName, diagnostics.ActivitySource.Name));
    }

    [Fact]
    public void The_operator_names_the_default_lease_and_configuration_still_overrides_it()
    {
        using var byDefault = OperatorApplication.Build(Args);
        using var named = OperatorApplication.Build([.. Args, "--leader-election-id", "other-lease"]);

        Assert.Equal("flock-operator-leader", byDefault.Services.GetRequiredService<IOptions<OperatorOptions>>().Value.LeaderElection.LeaseName);
        Assert.Equal("other-lease", named.Services.GetRequiredService<IOptions<OperatorOptions>>().Value.LeaderElection.LeaseName);
    }
}
