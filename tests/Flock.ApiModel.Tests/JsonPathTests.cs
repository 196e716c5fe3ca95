using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;

namespace Flock.ApiModel.Tests;

public class JsonPathTests
{
    private static readonly JsonNode Doc = JsonNode.Parse("""
        {"metadata":{"name":"x","labels":{"app.kubernetes.io/name":"flock"}},
         "spec":{"containers":[{"name":"a","image":"i1","ports":[{"containerPort":80}]},{"name":"b","image":"i2"}]},
         "status":{"conditions":[{"type":"Staked","status":"True"},{"type":"Ready","status":"False","reason":"Waiting"}],"count":3}}
        """)!;

    private static string Eval(string path) => string.Join(" ", JsonPath.Parse(path).Evaluate(Doc).Select(JsonPath.Print));

    [Theory]
    [InlineData(".metadata.name", "x")]
    [InlineData("{.metadata.name}", "x")]
    [InlineData(".spec.containers[0].image", "i1")]
    [InlineData(".spec.containers[-1].name", "b")]
    [InlineData(".spec.containers[*].name", "a b")]
    [InlineData(".spec.containers[0:1].name", "a")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "False")]
    [InlineData(".status.conditions[?(@.type=='Ready')].reason", "Waiting")]
    [InlineData(".status.conditions[?(@.status!=\"True\")].type", "Ready")]
    [InlineData(".metadata.labels['app.kubernetes.io/name']", "flock")]
    [InlineData(".metadata.labels.app\\.kubernetes\\.io/name", "flock")]
    [InlineData("..containerPort", "80")]
    [InlineData(".status.count", "3")]
    [InlineData(".spec.containers[0].ports", "[{\"containerPort\":80}]")]
    [InlineData(".status.missing.deeper", "")]
    [InlineData(".spec.containers[5].name", "")]
    public void Evaluates_the_subset_printer_columns_use(string path, string expected) => Assert.Equal(expected, Eval(path));

    [Fact]
    public void Syntax_errors_are_reported()
    {
        Assert.Throws<FormatException>(() => JsonPath.Parse(".spec.containers[0"));
    }
}
