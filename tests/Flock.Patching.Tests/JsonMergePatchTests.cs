using CsCheck;
using System.Text.Json.Nodes;
using Flock.Sandbox.Patching;
using Flock.Sandbox.Patching.Json;

namespace Flock.Patching.Tests;

public class JsonMergePatchTests
{
    // RFC 7386, Appendix A.
    [Theory]
    [InlineData("{'a':'b'}", "{'a':'c'}", "{'a':'c'}")]
    [InlineData("{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}")]
    [InlineData("{'a':'b'}", "{'a':null}", "{}")]
    [InlineData("{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}")]
    [InlineData("{'a':['b']}", "{'a':'c'}", "{'a':'c'}")]
    [InlineData("{'a':'c'}", "{'a':['b']}", "{'a':['b']}")]
    [InlineData("{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}")]
    [InlineData("{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}")]
    [InlineData("['a','b']", "['c','d']", "['c','d']")]
    [InlineData("{'a':'b'}", "['c']", "['c']")]
    [InlineData("{'a':'foo'}", "null", "null")]
    [InlineData("{'a':'foo'}", "'bar'", "'bar'")]
    [InlineData("{'e':null}", "{'a':1}", "{'e':null,'a':1}")]
    [InlineData("[1,2]", "{'a':'b','c':null}", "{'a':'b'}")]
    [InlineData("{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}")]
    public void Rfc7386AppendixExamples(string target, string patch, string expected)
    {
        var result = JsonMergePatch.Apply(Json.Parse(target), Json.Parse(patch));
        Json.Equal(expected, result);
    }

    [Fact]
    public void RemovingALabelKeepsTheOthersAndLeavesInputsUntouched()
    {
        var target = Json.Obj("{'metadata':{'labels':{'app':'web','tier':'front'}},'spec':{'replicas':1}}");
        var patch = Json.Obj("{'metadata':{'labels':{'tier':null}},'spec':{'replicas':3}}");
        var before = JsonValues.ToJson(target);

        var result = JsonMergePatch.Apply(target, patch);

        Json.Equal("{'metadata':{'labels':{'app':'web'}},'spec':{'replicas':3}}", result);
        Assert.Equal(before, JsonValues.ToJson(target));
        Assert.True(patch["metadata"]!["labels"]!.AsObject().ContainsKey("tier"));
    }

    [Fact]
    public void CreateProducesTheMinimalPatch()
    {
        var a = Json.Obj("{'a':1,'b':{'c':2,'d':3},'e':[1,2],'f':'x'}");
        var b = Json.Obj("{'a':1,'b':{'c':2,'d':4},'e':[1],'g':true}");

        var patch = JsonMergePatch.Create(a, b);

        Json.Equal("{'b':{'d':4},'e':[1],'f':null,'g':true}", patch);
    }

    [Fact]
    public void CreateOfEqualDocumentsIsEmpty() =>
        Json.Equal("{}", JsonMergePatch.Create(Json.Obj("{'a':{'b':[1,{'c':2}]}}"), Json.Obj("{'a':{'b':[1,{'c':2}]}}")));

    private static readonly Gen<JsonNode?> Scalar = Gen.OneOf(
        Gen.Int[-5, 5].Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.String["abc"].Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)));

    private static Gen<JsonNode?> Value(int depth) => depth == 0
        ? Scalar
        : Gen.Frequency(
            (3, Scalar),
            (2, Object(depth - 1).Select(o => (JsonNode?)o)),
            (1, Value(depth - 1).Array[0, 3].Select(items => (JsonNode?)new JsonArray(items.Select(i => i?.DeepClone()).ToArray()))));

    /// <summary>Objects over a small key alphabet (so documents overlap), without null members.</summary>
    private static Gen<JsonObject> Object(int depth) =>
        Gen.Select(Gen.Char["pqrs"], Value(depth)).Array[0, 4].Select(pairs =>
        {
            var o = new JsonObject();
            foreach (var (k, v) in pairs) o[k.ToString()] = v?.DeepClone();
            return o;
        });

    [Fact]
    public void ApplyingTheCreatedPatchTurnsAIntoB()
    {
        Gen.Select(Object(2), Object(2)).Sample((a, b) =>
        {
            var patch = JsonMergePatch.Create(a, b);
            var result = JsonMergePatch.Apply(a, patch);
            return JsonValues.Equal(b, result);
        });
    }
}
