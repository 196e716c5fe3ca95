using System.Security.Cryptography.X509Certificates;
using Flock.Sandbox.ApiServer;
using k8s;

namespace Flock.Bench;

/// <summary>A sandbox API server started in this process, and clients for it.</summary>
internal sealed class BenchSandbox : IAsyncDisposable
{
    public BenchSandbox(SandboxApiServer server) => Server = server;

    public SandboxApiServer Server { get; }

    public static async Task<BenchSandbox> StartAsync() => new(await SandboxApiServer.StartAsync(new SandboxOptions { HistorySize = 50_000 }));

    public KubernetesClientConfiguration Configuration() => new()
    {
        Host = Server.Url,
        AccessToken = Server.AdminToken,
        SslCaCerts = new X509Certificate2Collection(Server.CaCertificate),
    };

    public Kubernetes Client() => new(Configuration());

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
