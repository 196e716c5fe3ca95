using k8s.Models;

namespace Flock.Install.Tests.Support;

/// <summary>An operator process and the audit log of everything it asked the API server.</summary>
internal sealed class RunningOperator(OperatorProcess process, ApiAuditProxy audit) : IAsyncDisposable
{
    public OperatorProcess Process { get; } = process;

    public ApiAuditProxy Audit { get; } = audit;

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        await Audit.DisposeAsync();
    }
}

/// <summary>A release of the chart installed in the sandbox, and operators run with its ServiceAccount and its configuration.</summary>
internal sealed class ChartRelease(InstallWorld world, string name, string @namespace)
{
    private string? _token;

    public string Name { get; } = name;

    public string Namespace { get; } = @namespace;

    /// <summary>The operator Deployment the chart created.</summary>
    public async Task<V1Deployment> DeploymentAsync()
    {
        using var client = world.Client();
        var list = await client.AppsV1.ListNamespacedDeploymentAsync(Namespace,
            labelSelector: $"app.kubernetes.io/instance={Name},app.kubernetes.io/component=operator");
        return Assert.Single(list.Items);
    }

    /// <summary>
    /// Starts the operator as a process with exactly the environment of the chart's container, authenticated
    /// as the chart's ServiceAccount (a token the sandbox authenticates and then authorizes through RBAC), its
    /// API traffic recorded by an audit proxy.
    /// </summary>
    public async Task<RunningOperator> StartOperatorAsync(string identity, params string[] extraArgs)
    {
        var deployment = await DeploymentAsync();
        var pod = deployment.Spec.Template.Spec;
        _token ??= world.Server.RegisterServiceAccountToken(Namespace, pod.ServiceAccountName);
        var audit = await ApiAuditProxy.StartAsync(world.Server.Url, world.Server.CaCertificate);
        var kubeconfig = Path.Combine(world.Dir, $"{Name}-{identity}.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sandbox
              cluster:
                server: {audit.Url}
            users:
            - name: {pod.ServiceAccountName}
              user:
                token: {_token}
            contexts:
            - name: operator
              context:
                cluster: sandbox
                user: {pod.ServiceAccountName}
                namespace: {Namespace}
            current-context: operator
            """);
        var container = Assert.Single(pod.Containers, c => c.Name == "operator");
        var process = OperatorProcess.Start(kubeconfig, identity, Environment(container), extraArgs);
        return new RunningOperator(process, audit);
    }

    /// <summary>The container's env as a pod would see it (downward-API fields resolved; POD_NAME is the identity).</summary>
    private Dictionary<string, string> Environment(V1Container container)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in container.Env ?? [])
        {
            if (e.Value is not null) env[e.Name] = e.Value;
            else if (e.ValueFrom?.FieldRef?.FieldPath == "metadata.namespace") env[e.Name] = Namespace;
            else if (e.ValueFrom?.FieldRef?.FieldPath != "metadata.name") throw new InvalidOperationException($"env {e.Name} has a source the test cannot resolve");
        }

        return env;
    }
}
