using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiServer;
using k8s;
using k8s.Models;

namespace Flock.Sandbox.Tests;

/// <summary>One sandbox API server shared by the tests of a class (each test uses its own namespace).</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private SandboxApiServer? _server;

    public SandboxApiServer Server => _server ?? throw new InvalidOperationException("not started");

    public Kubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync(new SandboxOptions
        {
            BookmarkInterval = TimeSpan.FromMilliseconds(300),
            HistorySize = 1000,
            GarbageCollectionInterval = TimeSpan.FromMilliseconds(200),
            PublishRootCaConfigMap = true,
        });
        Client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }
}

internal static class Repo
{
    public static string Root { get; } = Flock.Testing.RepositoryRoot.Path;

    public static string CrdDir => Path.Combine(Root, "config", "crd", "bases");
    public static string SamplesDir => Path.Combine(Root, "config", "samples");
}

internal static class Helpers
{
    private static int _counter;

    public static string UniqueName(string prefix) => $"{prefix}-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..6]}";

    public static async Task<string> NewNamespaceAsync(this Kubernetes client, string prefix = "t")
    {
        var name = UniqueName(prefix);
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        // Like a real cluster, the sandbox's controllers add the default ServiceAccount and the kube-root-ca.crt
        // ConfigMap shortly after; wait for them so tests that count objects are deterministic.
        await Eventually(async () =>
            (await client.CoreV1.ListNamespacedConfigMapAsync(name, fieldSelector: "metadata.name=kube-root-ca.crt")).Items.Count == 1 &&
            (await client.CoreV1.ListNamespacedServiceAccountAsync(name, fieldSelector: "metadata.name=default")).Items.Count == 1,
            $"namespace {name} initialised");
        return name;
    }

    /// <summary>Creates the project's CRDs (from config/crd/bases) and waits until they are served.</summary>
    public static async Task InstallCrdsAsync(this Kubernetes client)
    {
        foreach (var file in Directory.GetFiles(Repo.CrdDir, "*.yaml"))
        {
            foreach (var obj in KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(file)))
            {
                var crd = (V1CustomResourceDefinition)obj;
                try
                {
                    await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
                {
                }
            }
        }

        await Eventually(async () =>
        {
            var groups = await client.Apis.GetAPIVersionsAsync();
            return groups.Groups.Any(g => g.Name == "flock.io");
        });
    }

    /// <summary>Polls until the condition holds (no timing assertion: fails only after a generous deadline).</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string? what = null, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await condition()) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"condition not met: {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>The ConfigMap every namespace has.</summary>
    public const string RootCa = "kube-root-ca.crt";

    public static JsonObject TrainingNode(string name, string ns, long taskId = 12) => new()
    {
        ["apiVersion"] = "flock.io/v1alpha1",
        ["kind"] = "FlockTrainingNode",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["taskId"] = taskId,
            ["credentials"] = new JsonObject
            {
                ["flockApiKey"] = new JsonObject { ["name"] = "flock-credentials", ["key"] = "api-key" },
                ["huggingFace"] = new JsonObject { ["secretName"] = "huggingface" },
            },
            ["staking"] = new JsonObject { ["address"] = "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c" },
            ["placement"] = new JsonObject { ["mode"] = "InCluster" },
        },
    };

    /// <summary>A raw HttpClient trusting only the sandbox CA, with the admin token (or another).</summary>
    public static HttpClient RawClient(this Flock.Sandbox.ApiServer.SandboxApiServer server, string? token = null)
    {
        var ca = server.CaCertificate;
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                if (cert is null) return false;
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return chain.Build(cert);
            },
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri(server.Url) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token ?? server.AdminToken);
        return client;
    }

    public static JsonObject ToJson(object o) => (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(o))!;

    public static JsonObject AsJson(this object o) => o is JsonElement e ? (JsonObject)JsonNode.Parse(e.GetRawText())! : ToJson(o);
}

/// <summary>Runs the real kubectl from .tools/bin against a kubeconfig.</summary>
internal sealed class Kubectl
{
    private readonly string _kubeconfig;

    public Kubectl(string kubeconfig)
    {
        _kubeconfig = kubeconfig;
        if (!File.Exists(Path)) Assert.Fail($"kubectl not found at {Path}: run `make tools`");
    }

    public static string Path { get; } = System.IO.Path.Combine(Repo.Root, ".tools", "bin", "kubectl");

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;
    }

    public async Task<Result> RunAsync(params string[] args) => await RunAsync(args, null, 120);

    public async Task<Result> RunAsync(string[] args, string? stdin, int timeoutSeconds = 120)
    {
        using var p = Start(args);
        if (stdin is not null) await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"kubectl {string.Join(' ', args)} did not finish: {await stdout}{await stderr}");
        }

        return new Result(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Checks success and returns stdout.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var r = await RunAsync(args);
        Assert.True(r.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed ({r.ExitCode}):\n{r.Stdout}\n{r.Stderr}");
        return r.Stdout;
    }

    public Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(_kubeconfig);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["KUBECACHEDIR"] = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(_kubeconfig)!, "cache");
        psi.Environment["HOME"] = System.IO.Path.GetDirectoryName(_kubeconfig)!;
        return Process.Start(psi)!;
    }
}
