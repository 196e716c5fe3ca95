using System.Text.Json.Nodes;
using Flock.Sandbox.Admission;

namespace Flock.Admission.Tests;

/// <summary>field.Error's text is what kubectl prints, so every shape of it must match Go's.</summary>
public class FieldErrorFormattingTests
{
    [Fact]
    public void RequiredForbiddenAndTooLongNeverShowTheValue()
    {
        Assert.Equal("spec.taskId: Required value", FieldError.Required("spec.taskId").ToString());
        Assert.Equal("spec.akash: Required value: needed", FieldError.Required("spec.akash", "needed").ToString());
        Assert.Equal("spec.env: Forbidden: no", FieldError.Forbidden("spec.env", "no").ToString());
        Assert.Equal("spec.image: Too long: may not be more than 512 bytes", FieldError.TooLong("spec.image", JsonValue.Create("x"), 512).ToString());
        Assert.Equal("spec.c: Too long: may not be more than 1 byte", FieldError.TooLong("spec.c", JsonValue.Create("xx"), 1).ToString());
    }

    [Fact]
    public void BadValuesPrintLikeGo()
    {
        Assert.Equal("f: Invalid value: \"a\\\"b\\n\": d", FieldError.Invalid("f", JsonValue.Create("a\"b\n"), "d").ToString());
        Assert.Equal("f: Invalid value: 20: d", FieldError.Invalid("f", JsonValue.Create(20L), "d").ToString());
        Assert.Equal("f: Invalid value: 1.5: d", FieldError.Invalid("f", JsonValue.Create(1.5), "d").ToString());
        Assert.Equal("f: Invalid value: true: d", FieldError.Invalid("f", JsonValue.Create(true), "d").ToString());
        Assert.Equal("f: Invalid value: \"null\": d", FieldError.Invalid("f", null, "d").ToString());
        Assert.Equal("f: Invalid value: \"\"", FieldError.Invalid("f", JsonValue.Create(string.Empty), string.Empty).ToString());
    }

    [Fact]
    public void CompoundValuesPrintAsGoSharpV()
    {
        var value = JsonNode.Parse("""{"port":80,"name":"a","tags":["x",null],"on":false}""");
        Assert.Equal(
            "f: Duplicate value: map[string]interface {}{\"name\":\"a\", \"on\":false, \"port\":80, \"tags\":[]interface {}{\"x\", interface {}(nil)}}",
            FieldError.Duplicate("f", value).ToString());
    }

    [Theory]
    [InlineData(1000000.0, "1e+06")]
    [InlineData(123456.0, "123456")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1234567.5, "1.2345675e+06")]
    [InlineData(-2.25, "-2.25")]
    [InlineData(1e21, "1e+21")]
    public void FloatsUseGoShortestFormatting(double value, string expected) => Assert.Equal(expected, GoFormat.Float(value));

    [Fact]
    public void StringsAreQuotedWithGoEscapes()
    {
        Assert.Equal("\"tab\\there\"", GoFormat.Quote("tab\there"));
        Assert.Equal("\"\\x00\\x7f\"", GoFormat.Quote("\0\u007f"));
        Assert.Equal("\"héllo ✓\"", GoFormat.Quote("héllo ✓"));
        Assert.Equal("\"\\u00a0\"", GoFormat.Quote("\u00a0"));
        Assert.Equal("\"\\\\\"", GoFormat.Quote("\\"));
    }

    [Fact]
    public void NotSupportedListsQuotedValues()
    {
        var error = FieldError.NotSupported("spec.placement.mode", JsonValue.Create("Foo"), ["InCluster", "Akash", "Auto"]);
        Assert.Equal("spec.placement.mode: Unsupported value: \"Foo\": supported values: \"InCluster\", \"Akash\", \"Auto\"", error.ToString());
        Assert.Equal("FieldValueNotSupported", error.Type.Reason());
    }

    [Fact]
    public void TooManyShowsTheCountAndSingularWording()
    {
        Assert.Equal("spec.taskIds: Too many: 70: must have at most 64 items", FieldError.TooMany("spec.taskIds", 70, 64).ToString());
        Assert.Equal("spec.one: Too many: 2: must have at most 1 item", FieldError.TooMany("spec.one", 2, 1).ToString());
        Assert.Equal("spec.x: Too many: must have at most 3 items", FieldError.TooMany("spec.x", -1, 3).ToString());
    }

    [Fact]
    public void FieldPathsPrintLikeGoFieldPath()
    {
        Assert.Equal("<nil>", FieldPath.Root.ToString());
        Assert.Equal("spec.taskIds[1]", FieldPath.Of("spec", "taskIds").Index(1).ToString());
        Assert.Equal("spec.env[0].name", FieldPath.Of("spec", "env").Index(0).Child("name").ToString());
        Assert.Equal("spec.placement.akash.attributes[region]", FieldPath.Of("spec", "placement", "akash", "attributes").Key("region").ToString());
    }

    [Fact]
    public void AggregateDropsRepeatsAndBracketsSeveral()
    {
        var a = FieldError.Required("spec.a");
        var b = FieldError.Required("spec.b");
        Assert.Equal(string.Empty, FieldErrors.Aggregate([]));
        Assert.Equal("spec.a: Required value", FieldErrors.Aggregate([a, a]));
        Assert.Equal("[spec.a: Required value, spec.b: Required value]", FieldErrors.Aggregate([a, b, a]));
    }
}
