using System.Text.Json.Nodes;
using Flock.Sandbox.Admission;

namespace Flock.Admission.Tests;

/// <summary>Structural defaulting: what a user gets back from the apiserver when leaving fields out.</summary>
public class DefaultingTests
{
    private static readonly StructuralSchema Schema = Schemas.Spec("""
        type: object
        properties:
          image: {type: string, default: worker:latest}
          suspend: {type: boolean, default: false}
          note: {type: string, nullable: true, default: none}
          resources:
            type: object
            default: {}
            properties:
              cpu: {type: string, default: "8"}
              gpu:
                type: object
                default: {}
                properties:
                  count: {type: integer, default: 1}
                  models: {type: array, items: {type: string}}
          cache:
            type: object
            properties:
              size: {type: string, default: 100Gi}
          ports:
            type: array
            items:
              type: object
              properties:
                name: {type: string}
                protocol: {type: string, default: TCP}
          volumes:
            type: object
            additionalProperties:
              type: object
              properties:
                readOnly: {type: boolean, default: true}
        """);

    [Fact]
    public void DefaultObjectsMaterialiseTheDefaultsBelowThem()
    {
        var obj = Schemas.Object("{}");
        Schema.ApplyDefaults(obj);

        Assert.Equal(
            """{"image":"worker:latest","suspend":false,"note":"none","resources":{"cpu":"8","gpu":{"count":1}}}""",
            obj["spec"]!.ToJsonString());
    }

    [Fact]
    public void GivenValuesAreKeptAndMissingSiblingsDefaulted()
    {
        var obj = Schemas.Object("""{"image":"mine","resources":{"gpu":{"count":2}}}""");
        Schema.ApplyDefaults(obj);

        Assert.Equal("mine", (string?)obj["spec"]!["image"]);
        Assert.Equal("""{"gpu":{"count":2},"cpu":"8"}""", obj["spec"]!["resources"]!.ToJsonString());
    }

    [Fact]
    public void AnObjectWithoutDefaultIsNotCreatedForItsChildrenDefaults()
    {
        var obj = Schemas.Object("{}");
        Schema.ApplyDefaults(obj);
        Assert.False(obj["spec"]!.AsObject().ContainsKey("cache"));

        var withCache = Schemas.Object("""{"cache":{}}""");
        Schema.ApplyDefaults(withCache);
        Assert.Equal("100Gi", (string?)withCache["spec"]!["cache"]!["size"]);
    }

    [Fact]
    public void NullIsReplacedByTheDefaultUnlessTheFieldIsNullable()
    {
        var obj = Schemas.Object("""{"image":null,"note":null}""");
        Schema.ApplyDefaults(obj);

        Assert.Equal("worker:latest", (string?)obj["spec"]!["image"]);
        Assert.True(obj["spec"]!.AsObject().ContainsKey("note"));
        Assert.Null(obj["spec"]!["note"]);
    }

    [Fact]
    public void ItemsAndMapValuesAreDefaulted()
    {
        var obj = Schemas.Object("""{"ports":[{"name":"a"},{"name":"b","protocol":"UDP"}],"volumes":{"data":{}}}""");
        Schema.ApplyDefaults(obj);

        Assert.Equal("""[{"name":"a","protocol":"TCP"},{"name":"b","protocol":"UDP"}]""", obj["spec"]!["ports"]!.ToJsonString());
        Assert.Equal("""{"data":{"readOnly":true}}""", obj["spec"]!["volumes"]!.ToJsonString());
    }

    [Fact]
    public void EachObjectGetsItsOwnCopyOfADefault()
    {
        var first = Schemas.Object("{}");
        var second = Schemas.Object("{}");
        Schema.ApplyDefaults(first);
        first["spec"]!["resources"]!["gpu"]!["count"] = 7;
        Schema.ApplyDefaults(second);

        Assert.Equal(1, (long)second["spec"]!["resources"]!["gpu"]!["count"]!);
        Assert.Equal("{}", Schema.Properties["spec"].Properties["resources"].Default!.ToJsonString());
    }

    [Fact]
    public void DefaultsFromJsonCrdsKeepTheirNumberKinds()
    {
        var schema = StructuralSchema.Compile(k8s.KubernetesJson.Deserialize<k8s.Models.V1JSONSchemaProps>("""
            {"type":"object","properties":{"ratio":{"type":"number","default":0.5},"count":{"type":"integer","default":3}}}
            """));
        var obj = new JsonObject();
        schema.ApplyDefaults(obj);

        Assert.Equal(JsonKind.Float, JsonValues.KindOf(obj["ratio"]));
        Assert.Equal(JsonKind.Integer, JsonValues.KindOf(obj["count"]));
    }
}
