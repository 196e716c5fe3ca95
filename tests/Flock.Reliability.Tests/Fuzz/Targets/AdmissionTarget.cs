using System.Text.Json.Nodes;
using CsCheck;
using Flock.Crds.Serialization;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Workers;
using Flock.Reliability.Tests.Support;
using Flock.Sandbox.Admission;
using k8s;
using k8s.Models;

namespace Flock.Reliability.Tests.Fuzz.Targets;

/// <summary>
/// The samples of config/samples with fields set to values of every JSON kind, removed or added, run through the
/// sandbox apiserver's admission (structural schema, defaults, CEL). Admission never throws; every refusal names a
/// field; and whatever it admits, the operator can read as its typed resource and turn into a worker profile.
/// </summary>
public static class AdmissionTarget
{
    private sealed record Sample(string Kind, JsonObject Resource, StructuralSchema Schema, IReadOnlyList<string> Paths);

    private static readonly Lazy<IReadOnlyList<Sample>> Samples = new(Load);

    public static IFuzzTarget MutatedSamples => new FuzzTarget<(int Sample, Mutation[] Mutations)>(
        "CRD admission of mutated samples (admitted ⇒ readable by the operator)",
        Gen.Select(Gen.Int[0, 99], MutationGen.Array[1, 4]),
        input => Check(input.Sample, input.Mutations),
        input => $"{Samples.Value[input.Sample % Samples.Value.Count].Kind}: {string.Join("; ", input.Mutations.Select(m => m.ToString()))}");

    /// <summary>One change: at the n-th path of the sample (modulo), set a value, remove the field, or add an unknown sibling.</summary>
    public sealed record Mutation(int Path, int Action, string Value)
    {
        public override string ToString() => $"{(Action == 0 ? "set" : Action == 1 ? "remove" : "add-sibling")} #{Path} {Value}";
    }

    private static Gen<string> Pick(params string[] choices) => Gen.Int[0, choices.Length - 1].Select(i => choices[i]);

    // Values as JSON text: every kind, edge numbers, strings shaped like the fields' formats and not quite.
    private static readonly Gen<Mutation> MutationGen =
        from path in Gen.Int[0, 999]
        from action in Gen.Frequency((6, Gen.Const(0)), (2, Gen.Const(1)), (1, Gen.Const(2)))
        from value in Pick("null", "true", "false", "0", "-1", "1", "17", "1.5", "1e400", "9223372036854775808", "\"\"", "\"x\"", "\"Required\"", "\"Observe\"",
            "\"Akash\"", "\"Auto\"", "\"InCluster\"", "\"uakt\"", "\"uact\"", "\"0\"", "\"0.000000000000000001\"", "\"-8\"", "\"1e400\"", "\"24Gi\"", "\"1Ei\"", "\"0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c\"",
            "\"akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn7hzdtn\"", "\"HF_TOKEN\"", "\"h100\"", "\"NoSchedule\"", "\"Exists\"", "[]", "[1]", "[\"h100\",\"h100\"]", "[{\"name\":\"A\"}]",
            "[{\"name\":\"FLOCK_API_KEY\",\"value\":\"x\"}]", "{}", "{\"a\":\"b\"}", "{\"amount\":\"1\"}", "\"" + new string('a', 300) + "\"")
        select new Mutation(path, action, value);

    private static IReadOnlyList<Sample> Load()
    {
        var schemas = Directory.GetFiles(RepoPaths.CrdBases, "*.yaml")
            .Select(f => KubernetesYaml.Deserialize<V1CustomResourceDefinition>(File.ReadAllText(f)))
            .ToDictionary(c => c.Spec.Names.Kind, c => StructuralSchema.Compile(c.Spec.Versions.Single().Schema.OpenAPIV3Schema));
        return Directory.GetFiles(RepoPaths.Samples, "*.yaml").Order(StringComparer.Ordinal)
            .Select(f => YamlToJson.ReadAll(File.ReadAllText(f)).Cast<JsonObject>().Single(d => d["apiVersion"]?.GetValue<string>() == "flock.io/v1alpha1"))
            .Select(r =>
            {
                var kind = r["kind"]!.GetValue<string>();
                r["metadata"]!["namespace"] = "default";
                return new Sample(kind, r, schemas[kind], Paths(r["spec"]!, "spec").ToList());
            })
            .ToList();
    }

    // Every node under spec, as a path of object keys and array indexes ("spec", "resources", "gpu", …).
    private static IEnumerable<string> Paths(JsonNode node, string path)
    {
        yield return path;
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    if (child is not null) foreach (var p in Paths(child, path + "/" + key)) yield return p;
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is { } child) foreach (var p in Paths(child, path + "/" + i)) yield return p;
                }

                break;
        }
    }

    private static bool Check(int sampleIndex, Mutation[] mutations)
    {
        var sample = Samples.Value[sampleIndex % Samples.Value.Count];
        var resource = (JsonObject)sample.Resource.DeepClone();
        foreach (var m in mutations) Apply(resource, sample.Paths[m.Path % sample.Paths.Count], m);

        var result = CustomResourceAdmission.Admit(sample.Schema, resource, null);

        foreach (var error in result.Errors)
        {
            if (string.IsNullOrWhiteSpace(error.ToString()) || (string.IsNullOrWhiteSpace(error.Field) && error.Type != FieldErrorType.Internal && !error.ToString().Contains("validation rules were not checked", StringComparison.Ordinal)))
            {
                throw new FuzzFailure($"a refusal without a field: '{error}'");
            }
        }

        if (!result.Allowed) return false;

        // Admitted: the operator reads it as it reads it from the apiserver, and builds the worker's profile.
        var profile = sample.Kind == FlockTrainingNode.KindName
            ? WorkerProfile.For(KubeSerializer.Deserialize<FlockTrainingNode>(resource))
            : WorkerProfile.For(KubeSerializer.Deserialize<FlockValidator>(resource));
        _ = WorkerEnvironment.For(profile);
        if (profile.TaskIds.Count == 0 || profile.Spec.Credentials.FlockApiKey.Name.Length == 0)
        {
            throw new FuzzFailure($"admitted a {sample.Kind} without tasks or an API key secret");
        }

        return true;
    }

    // Paths come from the unmutated sample: one an earlier mutation removed or retyped is skipped.
    private static void Apply(JsonObject root, string path, Mutation m)
    {
        var parts = path.Split('/');
        JsonNode? node = root;
        foreach (var part in parts[..^1]) node = Child(node, part);
        var last = parts[^1];
        var value = JsonNode.Parse(m.Value);
        switch (node)
        {
            case JsonObject o when m.Action == 0:
                o[last] = value;
                break;
            case JsonObject o when m.Action == 1:
                o.Remove(last);
                break;
            case JsonObject o:
                o["fuzz" + last] = value;
                break;
            case JsonArray a when Index(a, last) is { } i && m.Action == 1:
                a.RemoveAt(i);
                break;
            case JsonArray a when Index(a, last) is { } i:
                a[i] = value;
                break;
        }
    }

    private static JsonNode? Child(JsonNode? node, string part) => node switch
    {
        JsonObject o => o[part],
        JsonArray a => Index(a, part) is { } i ? a[i] : null,
        _ => null,
    };

    private static int? Index(JsonArray a, string part) =>
        int.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < a.Count ? i : null;
}
