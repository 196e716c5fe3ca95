using System.Security.Cryptography.X509Certificates;
using Flock.Operator.Runtime.Client;
using Flock.Sandbox.ApiServer;
using Flock.Sandbox.Evm;
using Flock.Sandbox.FlockApi;
using k8s;
using k8s.Models;

namespace Flock.Operator.Tests.Integration;

/// <summary>A sandbox API server for one test class, reached over HTTPS like a real cluster.</summary>
public class Sandbox : IAsyncLifetime
{
    public SandboxApiServer Server { get; private set; } = null!;

    /// <summary>The FLock fed-ledger simulator: task 12 is in its submission phase, task 13 is over.</summary>
    public FlockApiSimulator FlockApi { get; private set; } = null!;

    /// <summary>A real EVM with the task-manager contract; <see cref="Staker"/> is staked as a training node on task 12.</summary>
    public EvmSandbox Evm { get; private set; } = null!;

    public SandboxAccount Staker => Evm.Accounts[1];

    public async Task InitializeAsync()
    {
        Server = await SandboxApiServer.StartAsync(new SandboxOptions { BookmarkInterval = TimeSpan.FromMilliseconds(500) });
        Server.Faults.WriteHook = write =>
        {
            Resilience.TestRunRecord.Run.ObserveWrite(write); // every Secret, event and status written, for the run's secret scan
            return Task.CompletedTask;
        };
        Evm = await EvmSandbox.StartAsync();
        foreach (var task in new long[] { 12, 13 }) await Evm.CreateTaskAsync(task);
        await Evm.MintAsync(Staker.Address, 100_000 * EvmSandbox.OneToken);
        await Evm.StakeAsNodeAsync(Staker, 12, 3000 * EvmSandbox.OneToken);
        FlockApi = await FlockApiSimulator.StartAsync();
        var now = DateTimeOffset.UtcNow;
        FlockApi.AddTask(SimulatedTask.Open(12, now, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        FlockApi.AddTask(SimulatedTask.Open(13, now.AddDays(-3), TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        await StartExtrasAsync();
    }

    /// <summary>More of the outside world a derived fixture needs (a simulated cluster, …).</summary>
    protected virtual Task StartExtrasAsync() => Task.CompletedTask;

    protected virtual Task StopExtrasAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Resilience.TestRunRecord.Run.CaptureAsync(this); // the store's secrets, events and statuses, for the run's secret scan
        await StopExtrasAsync();
        await Evm.DisposeAsync();
        await FlockApi.DisposeAsync();
        await Server.DisposeAsync();
    }

    public KubernetesClientConfiguration ClientConfiguration() => new()
    {
        Host = Server.Url,
        AccessToken = Server.AdminToken,
        SslCaCerts = new X509Certificate2Collection(Server.CaCertificate),
    };

    public Kubernetes Client() => new(ClientConfiguration());

    public KubeRestClient Rest() => Flock.Operator.OperatorClient.Create(Client());

    /// <summary>Writes an admin kubeconfig for a child process or a hosted operator.</summary>
    public string WriteKubeconfig()
    {
        var path = Path.Combine(Path.GetTempPath(), $"flock-sandbox-{Guid.NewGuid():N}.kubeconfig");
        var ca = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Server.CaCertificatePem));
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sandbox
              cluster:
                server: {Server.Url}
                certificate-authority-data: {ca}
            users:
            - name: admin
              user:
                token: {Server.AdminToken}
            contexts:
            - name: sandbox
              context:
                cluster: sandbox
                user: admin
            current-context: sandbox
            """);
        return path;
    }

    /// <summary>Installs the committed CRDs and waits until they are Established.</summary>
    public async Task InstallCrdsAsync()
    {
        var client = Client();
        foreach (var file in Directory.GetFiles(Paths.CrdBases, "*.yaml"))
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file));
            try
            {
                await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
            }

            await Eventually.TrueAsync(async () =>
            {
                var stored = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name);
                return stored.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;
            }, $"CRD {crd.Metadata.Name} Established");
        }
    }
}

internal static class Paths
{
    public static string Root { get; } = Flock.Testing.RepositoryRoot.Path;
    public static string CrdBases => Path.Combine(Root, "config", "crd", "bases");
    public static string Samples => Path.Combine(Root, "config", "samples");
}
