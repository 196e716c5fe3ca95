using System.Text.Json.Nodes;
using Flock.Sandbox.Admission;

namespace Flock.Admission.Tests;

/// <summary>Pruning: unknown fields vanish (with the paths kubectl shows as warnings); preserved ones stay.</summary>
public class PruningTests
{
    private static readonly StructuralSchema Schema = Schemas.Spec("""
        type: object
        properties:
          name: {type: string}
          env:
            type: array
            items:
              type: object
              properties:
                name: {type: string}
          labels:
            type: object
            additionalProperties:
              type: object
              properties:
                value: {type: string}
          extra:
            type: object
            x-kubernetes-preserve-unknown-fields: true
            properties:
              known:
                type: object
                properties:
                  a: {type: string}
          template:
            type: object
            x-kubernetes-embedded-resource: true
            properties:
              spec:
                type: object
                properties:
                  replicas: {type: integer}
        """);

    [Fact]
    public void UnknownFieldsAreRemovedAndReportedSorted()
    {
        var obj = Schemas.Object("""
            {"name":"n","zeta":1,"env":[{"name":"A","value":"x"},{"name":"B"}],"labels":{"l1":{"value":"v","other":2}},"alpha":{"deep":true}}
            """);

        var pruned = Schema.Prune(obj);

        Assert.Equal(["spec.alpha", "spec.env[0].value", "spec.labels.l1.other", "spec.zeta"], pruned);
        Assert.Equal("""{"name":"n","env":[{"name":"A"},{"name":"B"}],"labels":{"l1":{"value":"v"}}}""", obj["spec"]!.ToJsonString());
    }

    [Fact]
    public void PreserveUnknownFieldsKeepsUnknownButStillPrunesDeclaredChildren()
    {
        var obj = Schemas.Object("""{"extra":{"anything":{"goes":[1,2]},"known":{"a":"x","b":"pruned"}}}""");

        var pruned = Schema.Prune(obj);

        Assert.Equal(["spec.extra.known.b"], pruned);
        Assert.Equal("""{"anything":{"goes":[1,2]},"known":{"a":"x"}}""", obj["spec"]!["extra"]!.ToJsonString());
    }

    [Fact]
    public void TheRootKeepsApiVersionKindAndMetadataUntouched()
    {
        var obj = Schemas.Json("""
            {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","labels":{"a":"b"},"finalizers":["x"]},"spec":{},"status2":{}}
            """);

        var pruned = Schema.Prune(obj);

        Assert.Equal(["status2"], pruned);
        Assert.Equal("""{"name":"w","labels":{"a":"b"},"finalizers":["x"]}""", obj["metadata"]!.ToJsonString());
        Assert.Equal("Widget", (string?)obj["kind"]);
    }

    [Fact]
    public void EmbeddedResourcesKeepTheirTypeAndObjectMeta()
    {
        var obj = Schemas.Object("""
            {"template":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"a":"b"}},"spec":{"replicas":2,"paused":true},"status":{}}}
            """);

        var pruned = Schema.Prune(obj);

        Assert.Equal(["spec.template.spec.paused", "spec.template.status"], pruned);
        Assert.Equal("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"a":"b"}},"spec":{"replicas":2}}""",
            obj["spec"]!["template"]!.ToJsonString());
    }

    [Fact]
    public void ANonRootObjectDoesNotKeepResourceFields()
    {
        var spec = Schema.Properties["spec"];
        var obj = Schemas.Json("""{"apiVersion":"v1","name":"n","other":1}""");

        var pruned = spec.Prune(obj, isRoot: false);

        // Like the apiserver, a top-level apiVersion/kind/metadata is never listed as an unknown field.
        Assert.Equal(["other"], pruned);
        Assert.Equal("""{"name":"n"}""", obj.ToJsonString());
    }

    [Fact]
    public void NonNullableNullsWithoutDefaultAreDropped()
    {
        var schema = Schemas.Spec("""
            type: object
            properties:
              a: {type: string}
              b: {type: string, nullable: true}
              c: {type: string, default: x}
            """);
        var obj = Schemas.Object("""{"a":null,"b":null,"c":null}""");

        schema.PruneNonNullableNulls(obj);

        Assert.Equal("""{"b":null,"c":null}""", obj["spec"]!.ToJsonString());
    }
}
