using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Http;
using Flock.Sandbox.ApiServer.Machinery;
using Flock.Sandbox.ApiServer.Storage;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.ApiServer;

/// <summary>
/// The sandbox Kubernetes API server: HTTPS (HTTP/1.1 and HTTP/2) on 127.0.0.1 with a CA generated
/// at start, bearer-token authentication, RBAC, discovery, OpenAPI, tables, and the generic registry
/// over an in-memory store with watch history.
/// </summary>
public sealed class SandboxApiServer : IAsyncDisposable
{
    private readonly SandboxOptions _options;
    private readonly Certificates _certs;
    private readonly ApiMachinery _machinery;
    private readonly ClusterControllers _controllers;
    private readonly Authentication _authn;
    private readonly ApiHandler _handler;
    private readonly SemaphoreSlim _restartLock = new(1, 1);
    private WebApplication? _app;
    private int _restarts;

    private SandboxApiServer(SandboxOptions options)
    {
        _options = options;
        _certs = Certificates.Create();
        Faults = new FaultInjector();
        Logs = new LogStore();
        var store = new ClusterStore(options.HistorySize);
        var catalog = new ResourceCatalog();
        _machinery = new ApiMachinery(catalog, store, Faults, TimeProvider.System) { GracefulPodDeletion = options.GracefulPodDeletion };
        _authn = new Authentication(options.AdminToken ?? NewToken());
        store.Committed += (table, _) =>
        {
            if (table.Resource.Group == "rbac.authorization.k8s.io") _authn.InvalidateRbac();
        };
        _controllers = new ClusterControllers(_machinery, options, TimeProvider.System,
            options.PublishRootCaConfigMap ? _certs.CaPem : null);
        Store = new SandboxStore(_machinery, _controllers, options.WatchQueueCapacity);
        _handler = new ApiHandler(_machinery, options, Faults, _authn, Logs, () => $"127.0.0.1:{Port}", TimeProvider.System);
        Faults.Attach(store, RestartAsync);
    }

    /// <summary>https://127.0.0.1:port</summary>
    public string Url => $"https://127.0.0.1:{Port}";

    public int Port { get; private set; }

    /// <summary>PEM of the CA that signed the serving certificate.</summary>
    public string CaCertificatePem => _certs.CaPem;

    /// <summary>The CA certificate.</summary>
    public X509Certificate2 CaCertificate => _certs.Ca;

    /// <summary>Bearer token of the admin user (system:masters: bypasses RBAC).</summary>
    public string AdminToken => _authn.AdminToken;

    /// <summary>Fault injection (also at /_sandbox/faults with the admin token).</summary>
    public FaultInjector Faults { get; }

    /// <summary>The in-process API of the simulated cluster.</summary>
    public SandboxStore Store { get; }

    /// <summary>Container logs served by pods/log.</summary>
    public LogStore Logs { get; }

    /// <summary>How often the server was restarted (by the restart fault).</summary>
    public int Restarts => _restarts;

    public static async Task<SandboxApiServer> StartAsync(SandboxOptions? options = null, CancellationToken ct = default)
    {
        var server = new SandboxApiServer(options ?? new SandboxOptions());
        try
        {
            await server.ListenAsync(server._options.Port, ct).ConfigureAwait(false);
            await server.BootstrapAsync().ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    private static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();

    /// <summary>The objects a fresh cluster has: default, kube-system, kube-public and kube-node-lease.</summary>
    private Task BootstrapAsync()
    {
        var namespaces = BuiltinResources.Find("", "namespaces")!;
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            _machinery.Create(namespaces, null, new System.Text.Json.Nodes.JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = ns },
            }, WriteOptions.ForController("kube-apiserver"));
        }

        // The bootstrap RBAC policy every cluster has: cluster-admin, bound to system:masters.
        var bootstrapLabels = new System.Text.Json.Nodes.JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" };
        var clusterRoles = BuiltinResources.Find("rbac.authorization.k8s.io", "clusterroles")!;
        _machinery.Create(clusterRoles, null, new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "ClusterRole",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["name"] = "cluster-admin",
                ["labels"] = bootstrapLabels.DeepClone(),
                ["annotations"] = new System.Text.Json.Nodes.JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
            },
            ["rules"] = System.Text.Json.Nodes.JsonNode.Parse("""
                [{"apiGroups":["*"],"resources":["*"],"verbs":["*"]},{"nonResourceURLs":["*"],"verbs":["*"]}]
                """),
        }, WriteOptions.ForController("kube-apiserver"));
        _machinery.Create(BuiltinResources.Find("rbac.authorization.k8s.io", "clusterrolebindings")!, null, new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "ClusterRoleBinding",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["name"] = "cluster-admin",
                ["labels"] = bootstrapLabels.DeepClone(),
                ["annotations"] = new System.Text.Json.Nodes.JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
            },
            ["roleRef"] = new System.Text.Json.Nodes.JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = "cluster-admin" },
            ["subjects"] = System.Text.Json.Nodes.JsonNode.Parse("""[{"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":"system:masters"}]"""),
        }, WriteOptions.ForController("kube-apiserver"));
        return Task.CompletedTask;
    }

    private async Task ListenAsync(int port, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
            k.Limits.MinResponseDataRate = null;
            k.Limits.MinRequestBodyDataRate = null;
            k.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(10);
            k.Limits.Http2.MaxStreamsPerConnection = 1000;
            k.Listen(IPAddress.Loopback, port, lo =>
            {
                lo.Protocols = _options.Http2 ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                lo.UseHttps(_certs.Serving);
            });
        });
        var app = builder.Build();
        app.Run(_handler.HandleAsync);
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        _app = app;
    }

    /// <summary>Closes every connection (watches end, requests in flight fail) and listens again on the same port.</summary>
    public async Task RestartAsync()
    {
        await _restartLock.WaitAsync().ConfigureAwait(false);
        try
        {
            var app = _app;
            if (app is null) return;
            _machinery.Store.DropAllWatches();
            using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500)))
            {
                try
                {
                    await app.StopAsync(cts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }

            await app.DisposeAsync().ConfigureAwait(false);
            _app = null;
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await ListenAsync(Port, CancellationToken.None).ConfigureAwait(false);
                    break;
                }
                catch (IOException) when (attempt < 50)
                {
                    await Task.Delay(100).ConfigureAwait(false);
                }
            }

            Interlocked.Increment(ref _restarts);
        }
        finally
        {
            _restartLock.Release();
        }
    }

    /// <summary>Registers a bearer token for a service account (system:serviceaccount:ns:name); returns the token.</summary>
    public string RegisterServiceAccountToken(string @namespace, string name, string? token = null)
    {
        token ??= NewToken();
        _authn.Register(token, UserInfo.ServiceAccount(@namespace, name));
        return token;
    }

    /// <summary>Registers a bearer token for a user with groups; returns the token.</summary>
    public string RegisterUserToken(string user, IReadOnlyList<string> groups, string? token = null)
    {
        token ??= NewToken();
        _authn.Register(token, UserInfo.User(user, [.. groups]));
        return token;
    }

    /// <summary>Writes a kubeconfig (context "sandbox") for the admin token or the given one.</summary>
    public string WriteKubeconfig(string path, string? token = null, string? @namespace = null)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(CaCertificatePem));
        var sb = new StringBuilder();
        sb.Append("apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n");
        sb.Append($"    certificate-authority-data: {ca}\n    server: {Url}\n  name: sandbox\n");
        sb.Append("contexts:\n- context:\n    cluster: sandbox\n    user: sandbox-user\n");
        if (@namespace is not null) sb.Append($"    namespace: {@namespace}\n");
        sb.Append("  name: sandbox\ncurrent-context: sandbox\npreferences: {}\n");
        sb.Append($"users:\n- name: sandbox-user\n  user:\n    token: {token ?? AdminToken}\n");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>Client configuration for the admin token or the given one.</summary>
    public KubernetesClientConfiguration ClientConfiguration(string? token = null) => new()
    {
        Host = Url,
        AccessToken = token ?? AdminToken,
        SslCaCerts = [X509CertificateLoader.LoadCertificate(_certs.Ca.RawData)],
        SkipTlsVerify = false,
    };

    /// <summary>A KubernetesClient for this server (admin unless a token is given).</summary>
    public Kubernetes CreateClient(string? token = null) => new(ClientConfiguration(token));

    public async ValueTask DisposeAsync()
    {
        var app = _app;
        _app = null;
        _machinery.Store.DropAllWatches();
        if (app is not null)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await app.StopAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await app.DisposeAsync().ConfigureAwait(false);
        }

        await _controllers.DisposeAsync().ConfigureAwait(false);
        _certs.Dispose();
        _restartLock.Dispose();
    }
}
