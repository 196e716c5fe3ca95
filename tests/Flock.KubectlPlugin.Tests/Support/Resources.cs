using System.Text.Json.Nodes;
using Flock.Crds.V1Alpha1;

namespace Flock.KubectlPlugin.Tests.Support;

/// <summary>Resource JSON as a user writes it.</summary>
internal static class Resources
{
    public const string TrainingNodes = "flocktrainingnodes";
    public const string Validators = "flockvalidators";

    public static JsonObject TrainingNode(string name, string ns, string placement = "InCluster") => new()
    {
        ["apiVersion"] = FlockApi.ApiVersion,
        ["kind"] = FlockTrainingNode.KindName,
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["taskId"] = 12,
            ["credentials"] = Credentials(),
            ["staking"] = new JsonObject { ["address"] = "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c" },
            ["resources"] = new JsonObject { ["gpu"] = new JsonObject { ["count"] = 1, ["models"] = new JsonArray("h100", "a100") } },
            ["placement"] = Placement(placement),
        },
    };

    public static JsonObject Validator(string name, string ns, params long[] taskIds) => new()
    {
        ["apiVersion"] = FlockApi.ApiVersion,
        ["kind"] = FlockValidator.KindName,
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["taskIds"] = new JsonArray([.. taskIds.Select(t => (JsonNode)t)]),
            ["credentials"] = Credentials(),
            ["staking"] = new JsonObject { ["address"] = "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c" },
        },
    };

    private static JsonObject Credentials() => new()
    {
        ["flockApiKey"] = new JsonObject { ["name"] = "flock-credentials", ["key"] = "api-key" },
        ["huggingFace"] = new JsonObject { ["secretName"] = "huggingface" },
    };

    private static JsonObject Placement(string mode) => mode == "InCluster"
        ? new JsonObject { ["mode"] = mode }
        : new JsonObject
        {
            ["mode"] = mode,
            ["akash"] = new JsonObject
            {
                ["accountSecretRef"] = new JsonObject { ["name"] = "akash-wallet", ["key"] = "mnemonic" },
                ["maxPrice"] = new JsonObject { ["denom"] = "uact", ["amount"] = "10000" },
            },
        };
}
