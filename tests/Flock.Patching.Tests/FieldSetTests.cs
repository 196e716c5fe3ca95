using CsCheck;
using System.Text.Json.Nodes;
using Flock.Sandbox.Patching.Apply;
using Flock.Sandbox.Patching.Json;

namespace Flock.Patching.Tests;

public class FieldSetTests
{
    private const string Sample =
        """{"f:metadata":{"f:annotations":{".":{},"f:a":{}},"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{},"f:ports":{".":{},"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}},"f:finalizers":{"v:\"x\"":{}}}}""";

    [Fact]
    public void FieldsV1RoundTripsExactly()
    {
        var set = FieldSet.FromFieldsV1((JsonObject)JsonNode.Parse(Sample)!);
        Assert.Equal(Sample, set.ToString());
    }

    [Fact]
    public void MembersArePathsAndDotMarksAMemberWithChildren()
    {
        var set = FieldSet.FromFieldsV1((JsonObject)JsonNode.Parse(Sample)!);
        var paths = set.Paths().Select(FieldSet.PathString).ToList();

        Assert.Contains(".metadata.annotations", paths);
        Assert.Contains(".metadata.annotations.a", paths);
        Assert.DoesNotContain(".metadata.labels", paths);
        Assert.Contains(".spec.containers[name=\"c\"].ports[containerPort=80,protocol=\"TCP\"].containerPort", paths);
        Assert.Contains(".spec.finalizers[=\"x\"]", paths);
    }

    [Fact]
    public void ChildrenSortFieldsBeforeKeysBeforeValues()
    {
        var set = new FieldSet();
        set.Insert([PathElement.ValueOf(JsonValue.Create("b"))]);
        set.Insert([PathElement.Key([new("name", JsonValue.Create("a"))])]);
        set.Insert([PathElement.Field("z")]);
        set.Insert([PathElement.Field("a")]);
        Assert.Equal("""{"f:a":{},"f:z":{},"k:{\"name\":\"a\"}":{},"v:\"b\"":{}}""", set.ToString());
    }

    [Fact]
    public void DifferenceRemovesOnlyExactMembersAndRecursiveDifferenceRemovesSubtrees()
    {
        var set = FieldSet.FromFieldsV1((JsonObject)JsonNode.Parse(Sample)!);
        var annotations = FieldSet.FromFieldsV1((JsonObject)JsonNode.Parse("""{"f:metadata":{"f:annotations":{}}}""")!);

        Assert.Contains("f:a", set.Difference(annotations).ToString());
        Assert.DoesNotContain("\".\":{},\"f:a\"", set.Difference(annotations).ToString());
        Assert.DoesNotContain("f:annotations", set.RecursiveDifference(annotations).ToString());
    }

    private static readonly Gen<FieldSet> Sets =
        Gen.OneOf(
                Gen.String["abc"].Select(s => PathElement.Field(s)),
                Gen.Int[0, 3].Select(i => PathElement.Key([new("name", JsonValue.Create("n" + i))])),
                Gen.Int[0, 3].Select(i => PathElement.ValueOf(JsonValue.Create(i))))
            .Array[1, 4].Array[0, 6]
            .Select(paths =>
            {
                var set = new FieldSet();
                foreach (var p in paths) set.Insert(p);
                return set;
            });

    [Fact]
    public void SerialisationRoundTripsForAnySet() =>
        Sets.Sample(set => FieldSet.FromFieldsV1(set.ToFieldsV1()).ToString() == set.ToString());

    [Fact]
    public void UnionThenDifferenceLeavesNoMemberOfTheSubtrahend() =>
        Gen.Select(Sets, Sets).Sample((a, b) => !a.Union(b).Difference(b).Paths().Any(b.Has));
}
