using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Crds;
using Flock.Crds.V1Alpha1;
using Flock.Sandbox.ApiServer;
using k8s.Models;

namespace Flock.KubectlPlugin.Tests.Support;

/// <summary>
/// A sandbox API server with the project's CRDs, and a read-only user ("viewer": the two FLock kinds, pods and
/// pods/log, never Secrets) whose kubeconfig has two contexts: "one" (namespace one, current) and "two".
/// Tests write resources and their status directly, as the operator would.
/// </summary>
public sealed class PluginWorld : IAsyncLifetime
{
    public SandboxApiServer Server { get; private set; } = null!;

    public string Dir { get; } = Directory.CreateTempSubdirectory("flock-plugin-").FullName;

    public string AdminKubeconfig => Path.Combine(Dir, "admin.kubeconfig");

    /// <summary>The viewer's kubeconfig: contexts "one" (current, namespace one) and "two" (namespace two).</summary>
    public string ViewerKubeconfig => Path.Combine(Dir, "viewer.kubeconfig");

    public Kubernetes Client() => Server.CreateClient();

    private readonly Dictionary<string, Task> _seeded = [];

    /// <summary>Runs a test class's setup once for all its tests (xUnit makes a class instance per test).</summary>
    public Task SeedOnceAsync(string key, Func<Task> seed)
    {
        lock (_seeded)
        {
            if (!_seeded.TryGetValue(key, out var task)) _seeded[key] = task = seed();
            return task;
        }
    }

    public async Task InitializeAsync()
    {
        Server = await SandboxApiServer.StartAsync(new SandboxOptions { BookmarkInterval = TimeSpan.FromMilliseconds(500) });
        Server.WriteKubeconfig(AdminKubeconfig);
        using var client = Client();
        await InstallCrdsAsync(client);
        await GrantViewerAsync(client);
        var token = Server.RegisterUserToken("viewer", ["system:authenticated"]);
        await File.WriteAllTextAsync(ViewerKubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sandbox
              cluster:
                server: {Server.Url}
                certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Server.CaCertificatePem))}
            users:
            - name: viewer
              user:
                token: {token}
            contexts:
            - name: one
              context:
                cluster: sandbox
                user: viewer
                namespace: one
            - name: two
              context:
                cluster: sandbox
                user: viewer
                namespace: two
            current-context: one
            """);
    }

    /// <summary>Runs the kubectl-flock binary with a private HOME; <paramref name="environment"/> adds variables.</summary>
    internal Task<ProcessResult> PluginBinaryAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null) =>
        Processes.RunAsync(Path.Combine(Repo.PluginDir, "kubectl-flock"), args, WithHome(environment));

    /// <summary>Runs a kubectl-flock command line in this process (the binary's own entry point, without its start-up cost).</summary>
    internal static async Task<ProcessResult> PluginAsync(string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var code = await Flock.KubectlPlugin.PluginApp.RunAsync(args, output, error);
        return new ProcessResult(code, output.ToString(), error.ToString());
    }

    /// <summary>What kubectl needs to find and run the plugin as the viewer: the plugin's directory on PATH, KUBECONFIG.</summary>
    internal Dictionary<string, string> KubectlPluginEnvironment() => new()
    {
        ["PATH"] = Repo.PluginDir + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
        ["KUBECONFIG"] = ViewerKubeconfig,
    };

    /// <summary>Runs the real kubectl (admin kubeconfig unless the arguments say otherwise).</summary>
    internal Task<ProcessResult> KubectlAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null) =>
        Processes.RunAsync(Repo.Tool("kubectl"), args, WithHome(environment), stdin);

    public async Task CreateNamespaceAsync(string name)
    {
        using var client = Client();
        try
        {
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
        }
    }

    /// <summary>Creates a resource from its JSON and, when given, writes its status through the status subresource.</summary>
    public async Task CreateAsync(string plural, string ns, JsonObject resource, WorkerStatus? status = null)
    {
        using var client = Client();
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(resource, FlockApi.Group, FlockApi.Version, ns, plural);
        if (status is null) return;
        var patch = new JsonObject { ["status"] = JsonSerializer.SerializeToNode(status, status.GetType(), FlockJson.Options) };
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            FlockApi.Group, FlockApi.Version, ns, plural, (string)resource["metadata"]!["name"]!);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Dir, recursive: true);
    }

    private Dictionary<string, string> WithHome(IReadOnlyDictionary<string, string>? environment)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["HOME"] = Dir, ["KUBECACHEDIR"] = Path.Combine(Dir, "kube-cache") };
        return env;
    }

    private static async Task InstallCrdsAsync(Kubernetes client)
    {
        foreach (var file in Directory.GetFiles(Repo.CrdBases, "*.yaml"))
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file));
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
            await Eventually.TrueAsync(async () => (await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name)).Status?.Conditions?
                .Any(c => c.Type == "Established" && c.Status == "True") == true, $"CRD {crd.Metadata.Name} established");
        }
    }

    private static async Task GrantViewerAsync(Kubernetes client)
    {
        await client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "flock-viewer" },
            Rules =
            [
                new V1PolicyRule { ApiGroups = ["flock.io"], Resources = ["flocktrainingnodes", "flockvalidators"], Verbs = ["get", "list", "watch"] },
                new V1PolicyRule { ApiGroups = [""], Resources = ["pods", "pods/log"], Verbs = ["get", "list"] },
            ],
        });
        await client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "flock-viewer" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "flock-viewer" },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "User", Name = "viewer" }],
        });
    }
}

/// <summary>One world for the plugin's tests (each uses its own namespaces).</summary>
[CollectionDefinition(Name)]
public sealed class PluginCollection : ICollectionFixture<PluginWorld>
{
    public const string Name = "plugin";
}
