using System.Text.Json.Nodes;
using Flock.Sandbox.Patching;
using Flock.Sandbox.Patching.Json;

namespace Flock.Patching.Tests;

public class JsonPatchTests
{
    // RFC 6902, Appendix A (A.13, a document with a duplicate "op", is a parser concern and not covered).
    [Theory]
    [InlineData("A.1", "{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux'}]", "{'baz':'qux','foo':'bar'}")]
    [InlineData("A.2", "{'foo':['bar','baz']}", "[{'op':'add','path':'/foo/1','value':'qux'}]", "{'foo':['bar','qux','baz']}")]
    [InlineData("A.3", "{'baz':'qux','foo':'bar'}", "[{'op':'remove','path':'/baz'}]", "{'foo':'bar'}")]
    [InlineData("A.4", "{'foo':['bar','qux','baz']}", "[{'op':'remove','path':'/foo/1'}]", "{'foo':['bar','baz']}")]
    [InlineData("A.5", "{'baz':'qux','foo':'bar'}", "[{'op':'replace','path':'/baz','value':'boo'}]", "{'baz':'boo','foo':'bar'}")]
    [InlineData("A.6", "{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}", "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]", "{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}")]
    [InlineData("A.7", "{'foo':['all','grass','cows','eat']}", "[{'op':'move','from':'/foo/1','path':'/foo/3'}]", "{'foo':['all','cows','eat','grass']}")]
    [InlineData("A.8", "{'baz':'qux','foo':['a',2,'c']}", "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]", "{'baz':'qux','foo':['a',2,'c']}")]
    [InlineData("A.10", "{'foo':'bar'}", "[{'op':'add','path':'/child','value':{'grandchild':{}}}]", "{'foo':'bar','child':{'grandchild':{}}}")]
    [InlineData("A.11", "{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux','xyz':123}]", "{'foo':'bar','baz':'qux'}")]
    [InlineData("A.14", "{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':10}]", "{'/':9,'~1':10}")]
    [InlineData("A.16", "{'foo':['bar']}", "[{'op':'add','path':'/foo/-','value':['abc','def']}]", "{'foo':['bar',['abc','def']]}")]
    public void Rfc6902AppendixExamples(string section, string doc, string patch, string expected)
    {
        var result = JsonPatch.Apply(Json.Parse(doc)!, Json.Arr(patch));
        Assert.True(JsonValues.Equal(Json.Parse(expected), result), $"{section}: {JsonValues.ToJson(result)}");
    }

    [Fact]
    public void A9FailedTestReportsTheApiserverMessage()
    {
        var ex = Assert.Throws<PatchException>(() => JsonPatch.Apply(Json.Obj("{'baz':'qux'}"), Json.Arr("[{'op':'test','path':'/baz','value':'bar'}]")));
        Assert.Equal("testing value /baz failed: test failed", ex.Message);
        Assert.Equal(422, ex.StatusCode);
    }

    [Fact]
    public void A12AddToANonexistentTargetFails()
    {
        var ex = Assert.Throws<PatchException>(() => JsonPatch.Apply(Json.Obj("{'foo':'bar'}"), Json.Arr("[{'op':'add','path':'/baz/bat','value':'qux'}]")));
        Assert.Equal("add operation does not apply: doc is missing path: \"/baz/bat\": missing value", ex.Message);
    }

    [Fact]
    public void A15StringsAndNumbersDiffer() =>
        Assert.Throws<PatchException>(() => JsonPatch.Apply(Json.Obj("{'/':9,'~1':10}"), Json.Arr("[{'op':'test','path':'/~01','value':'10'}]")));

    [Fact]
    public void RemovingAMissingKeyFails()
    {
        var ex = Assert.Throws<PatchException>(() => JsonPatch.Apply(Json.Obj("{'metadata':{'labels':{}}}"), Json.Arr("[{'op':'remove','path':'/metadata/labels/app'}]")));
        Assert.Contains("Unable to remove nonexistent key: app", ex.Message);
    }

    [Fact]
    public void ReplacingAMissingKeyFails()
    {
        var ex = Assert.Throws<PatchException>(() => JsonPatch.Apply(Json.Obj("{'spec':{}}"), Json.Arr("[{'op':'replace','path':'/spec/replicas','value':2}]")));
        Assert.Equal("replace operation does not apply: doc is missing key: /spec/replicas: missing value", ex.Message);
    }

    [Fact]
    public void SlashInAnnotationKeyIsEscapedAsTilde1()
    {
        var result = JsonPatch.Apply(
            Json.Obj("{'metadata':{'annotations':{}}}"),
            Json.Arr("[{'op':'add','path':'/metadata/annotations/example.com~1owner','value':'me'}]"));
        Json.Equal("{'metadata':{'annotations':{'example.com/owner':'me'}}}", result);
    }

    [Fact]
    public void CopyAndTheInputStaysUnchanged()
    {
        var doc = Json.Obj("{'a':{'b':1}}");
        var result = JsonPatch.Apply(doc, Json.Arr("[{'op':'copy','from':'/a','path':'/c'},{'op':'replace','path':'/c/b','value':2}]"));
        Json.Equal("{'a':{'b':1},'c':{'b':2}}", result);
        Json.Equal("{'a':{'b':1}}", doc);
    }

    [Fact]
    public void AFailingOperationAbortsTheWholePatch()
    {
        var doc = Json.Obj("{'a':1}");
        Assert.Throws<PatchException>(() => JsonPatch.Apply(doc, Json.Arr("[{'op':'replace','path':'/a','value':2},{'op':'test','path':'/a','value':1}]")));
        Json.Equal("{'a':1}", doc);
    }

    [Fact]
    public void UnknownOperationIsRejected()
    {
        var ex = Assert.Throws<PatchException>(() => JsonPatch.Apply(Json.Obj("{}"), Json.Arr("[{'op':'merge','path':'/a'}]")));
        Assert.Equal("Unexpected kind: merge", ex.Message);
    }

    [Fact]
    public void IndexPastTheEndIsRejected() =>
        Assert.Throws<PatchException>(() => JsonPatch.Apply(Json.Obj("{'a':[1]}"), Json.Arr("[{'op':'add','path':'/a/5','value':2}]")));

    [Fact]
    public void RootReplace() =>
        Json.Equal("{'b':2}", JsonPatch.Apply(Json.Obj("{'a':1}"), Json.Arr("[{'op':'replace','path':'','value':{'b':2}}]")));
}
