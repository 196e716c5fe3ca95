using Flock.Sandbox.Admission;

namespace Flock.Admission.Tests;

/// <summary>x-kubernetes-list-type set and map: repeated items are "Duplicate value" errors.</summary>
public class ListTypeTests
{
    private static readonly StructuralSchema Schema = Schemas.Spec("""
        type: object
        properties:
          tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}
          ratios: {type: array, x-kubernetes-list-type: set, items: {type: number}}
          atomic: {type: array, x-kubernetes-list-type: atomic, items: {type: string}}
          env:
            type: array
            x-kubernetes-list-type: map
            x-kubernetes-list-map-keys: [name]
            items:
              type: object
              required: [name]
              properties:
                name: {type: string}
                value: {type: string}
          ports:
            type: array
            x-kubernetes-list-type: map
            x-kubernetes-list-map-keys: [port, protocol]
            items:
              type: object
              required: [port]
              properties:
                port: {type: integer}
                protocol: {type: string, default: TCP}
          groups:
            type: object
            additionalProperties:
              type: array
              x-kubernetes-list-type: set
              items: {type: string}
        """);

    [Fact]
    public void ASetReportsEachRepeatedValueOnceAtItsSecondOccurrence() =>
        Assert.Equal(
            ["spec.tags[2]: Duplicate value: \"a\"", "spec.tags[4]: Duplicate value: \"b\""],
            Schemas.Validate(Schema, """{"tags":["a","b","a","a","b"]}"""));

    [Fact]
    public void AnIntegerAndAFloatAreDifferentSetItems() =>
        Assert.Empty(Schemas.Validate(Schema, """{"ratios":[1,1.0]}"""));

    [Fact]
    public void AtomicListsMayRepeat() =>
        Assert.Empty(Schemas.Validate(Schema, """{"atomic":["a","a"]}"""));

    [Fact]
    public void AMapListReportsEveryItemWithARepeatedKey() =>
        Assert.Equal(
            [
                "spec.env[1]: Duplicate value: map[string]interface {}{\"name\":\"A\"}",
                "spec.env[2]: Duplicate value: map[string]interface {}{\"name\":\"A\"}",
            ],
            Schemas.Validate(Schema, """{"env":[{"name":"A","value":"1"},{"name":"A","value":"2"},{"name":"A"}]}"""));

    [Fact]
    public void MapListKeysCombineAndUseKeyDefaults()
    {
        Assert.Empty(Schemas.Validate(Schema, """{"ports":[{"port":80,"protocol":"TCP"},{"port":80,"protocol":"UDP"}]}"""));
        Assert.Equal(
            ["spec.ports[1]: Duplicate value: map[string]interface {}{\"port\":80, \"protocol\":\"TCP\"}"],
            Schemas.Validate(Schema, """{"ports":[{"port":80,"protocol":"TCP"},{"port":80}]}"""));
    }

    [Fact]
    public void SetsInsideMapValuesUseKeyPaths() =>
        Assert.Equal(
            ["spec.groups[admins][1]: Duplicate value: \"x\""],
            Schemas.Validate(Schema, """{"groups":{"admins":["x","x"]}}"""));

    [Fact]
    public void OnUpdateDuplicatesAlreadyStoredAreTolerated()
    {
        var old = Schemas.Object("""{"tags":["a","a"]}""");
        var updated = Schemas.Object("""{"tags":["a","a"],"atomic":["new"]}""");

        Assert.Empty(Schema.Validate(updated, old));
        Assert.Equal(["spec.tags[1]: Duplicate value: \"a\""], Schemas.Messages(Schema.Validate(updated, Schemas.Object("{}"))));
    }
}
