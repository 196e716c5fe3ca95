using System.Text.Json.Nodes;
using Flock.Crds.Serialization;

namespace Flock.Crds.Tests;

/// <summary>The documents of the files in config/samples.</summary>
internal static class SampleDocuments
{
    public static IReadOnlyList<string> Files =>
        Directory.GetFiles(RepositoryPaths.Samples, "*.yaml").Select(Path.GetFileName).Order().ToList()!;

    public static IReadOnlyList<JsonObject> Read(string file) =>
        YamlToJson.ReadAll(File.ReadAllText(Path.Combine(RepositoryPaths.Samples, file))).Cast<JsonObject>().ToList();

    /// <summary>The one FLock resource of a sample file (each file holds one, with its Secrets).</summary>
    public static JsonObject Resource(string file) =>
        Read(file).Single(d => d["apiVersion"]?.GetValue<string>() == "flock.io/v1alpha1");

    public static string KindOf(JsonObject resource) => resource["kind"]!.GetValue<string>();
}
