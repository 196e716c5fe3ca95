using System.Text.Json;
using Flock.Crds;
using Flock.Crds.V1Alpha1;
using k8s;

namespace Flock.Install.Tests.Support;

/// <summary>Reads the project's custom resources with the admin client, typed by the API types.</summary>
internal static class FlockResources
{
    public const string TrainingNodes = "flocktrainingnodes";
    public const string Validators = "flockvalidators";

    public static async Task<FlockTrainingNode?> TrainingNodeAsync(this Kubernetes client, string ns, string name) =>
        await GetAsync<FlockTrainingNode>(client, ns, TrainingNodes, name);

    public static async Task<FlockValidator?> ValidatorAsync(this Kubernetes client, string ns, string name) =>
        await GetAsync<FlockValidator>(client, ns, Validators, name);

    /// <summary>A training node for task 12 that runs in the cluster on one GPU, staked by <paramref name="address"/>.</summary>
    public static async Task CreateTrainingNodeAsync(this Kubernetes client, string ns, string name, string address)
    {
        var body = new Dictionary<string, object>
        {
            ["apiVersion"] = FlockApi.ApiVersion,
            ["kind"] = FlockTrainingNode.KindName,
            ["metadata"] = new Dictionary<string, object> { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new Dictionary<string, object>
            {
                ["taskId"] = 12,
                ["credentials"] = new Dictionary<string, object>
                {
                    ["flockApiKey"] = new Dictionary<string, object> { ["name"] = "flock-credentials", ["key"] = "api-key" },
                    ["huggingFace"] = new Dictionary<string, object> { ["secretName"] = "huggingface" },
                },
                ["staking"] = new Dictionary<string, object> { ["address"] = address },
                ["resources"] = new Dictionary<string, object> { ["gpu"] = new Dictionary<string, object> { ["count"] = 1 }, ["cpu"] = "2", ["memory"] = "8Gi" },
            },
        };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(body, FlockApi.Group, FlockApi.Version, ns, TrainingNodes);
    }

    /// <summary>The two Secrets a training node reads (placeholder values: the simulated worker does not use them).</summary>
    public static async Task CreateCredentialsAsync(this Kubernetes client, string ns)
    {
        await client.CoreV1.CreateNamespacedSecretAsync(new k8s.Models.V1Secret
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "flock-credentials" },
            StringData = new Dictionary<string, string> { ["api-key"] = "test-api-key" },
        }, ns);
        await client.CoreV1.CreateNamespacedSecretAsync(new k8s.Models.V1Secret
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "huggingface" },
            StringData = new Dictionary<string, string> { ["username"] = "someone", ["token"] = "hf_test" },
        }, ns);
    }

    public static bool HasReason(this WorkerStatus? status, string reason) => status?.Conditions?.Any(c => c.Reason == reason) == true;

    private static async Task<T?> GetAsync<T>(Kubernetes client, string ns, string plural, string name) where T : class
    {
        try
        {
            var element = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync(FlockApi.Group, FlockApi.Version, ns, plural, name);
            return element.Deserialize<T>(FlockJson.Options);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
