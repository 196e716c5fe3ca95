using System.Text.Json.Nodes;
using Flock.Sandbox.Admission;
using k8s;
using k8s.Models;

namespace Flock.Admission.Tests;

/// <summary>Builds schemas from YAML (as a CRD author writes them) and objects from JSON (as kubectl sends them).</summary>
internal static class Schemas
{
    public static StructuralSchema Compile(string yaml) =>
        StructuralSchema.Compile(KubernetesYaml.Deserialize<V1JSONSchemaProps>(yaml));

    /// <summary>A resource schema whose spec is <paramref name="specYaml"/> (indented as a top-level schema).</summary>
    public static StructuralSchema Spec(string specYaml)
    {
        var indented = string.Join("\n", specYaml.Trim('\n').Split('\n').Select(l => "    " + l));
        return Compile($"""
            type: object
            properties:
              apiVersion: {"{type: string}"}
              kind: {"{type: string}"}
              metadata: {"{type: object}"}
              spec:
            {indented}
            """);
    }

    public static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>An object of kind Widget whose spec is <paramref name="specJson"/>.</summary>
    public static JsonObject Object(string specJson) =>
        Json($$"""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{{specJson}}}""");

    public static string[] Messages(IEnumerable<FieldError> errors) => errors.Select(e => e.ToString()).ToArray();

    public static string[] Validate(StructuralSchema schema, string specJson) => Messages(schema.Validate(Object(specJson)));
}
