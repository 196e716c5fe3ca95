using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using k8s;
using k8s.Models;

namespace Flock.ApiModel.Tests;

/// <summary>The committed CRDs, RBAC manifests and the resource catalog built from them.</summary>
internal static class TestData
{
    private static readonly Lazy<string> Root = new(() => Flock.Testing.RepositoryRoot.Path);

    private static readonly Lazy<IReadOnlyList<V1CustomResourceDefinition>> LoadedCrds = new(() =>
        Directory.GetFiles(Path.Combine(Root.Value, "config", "crd", "bases"), "*.yaml")
            .Order(StringComparer.Ordinal)
            .Select(path => KubernetesYaml.Deserialize<V1CustomResourceDefinition>(File.ReadAllText(path)))
            .ToList());

    public static string RepositoryRoot => Root.Value;

    public static IReadOnlyList<V1CustomResourceDefinition> Crds => LoadedCrds.Value;

    public static V1CustomResourceDefinition Crd(string kind) => Crds.Single(c => c.Spec.Names.Kind == kind);

    public static ApiResource Custom(string kind) => CustomResources.FromCrd(Crd(kind)).Single();

    public static IReadOnlyList<ApiResource> AllResources { get; } =
        BuiltinResources.All.Concat(LoadedCrds.Value.SelectMany(CustomResources.FromCrd)).ToList();

    public static ApiResource Builtin(string group, string plural) =>
        BuiltinResources.Find(group, plural) ?? throw new InvalidOperationException($"{plural}.{group} is not built in");

    /// <summary>Objects of a multi-document YAML file under config/, as JSON.</summary>
    public static IEnumerable<JsonObject> ConfigObjects(string relativePath) =>
        KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(Root.Value, relativePath)))
            .Select(o => (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(o))!);

    public static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    public static JsonObject Find(JsonNode? array, string key, string value) =>
        (JsonObject)(array as JsonArray ?? throw new InvalidOperationException("not an array"))
            .Single(n => n?[key]?.GetValue<string>() == value)!;

    public static string[] Strings(JsonNode? array) =>
        (array as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToArray();
}
