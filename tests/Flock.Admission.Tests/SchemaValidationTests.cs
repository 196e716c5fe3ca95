using Flock.Sandbox.Admission;

namespace Flock.Admission.Tests;

/// <summary>Each OpenAPI keyword accepts what the apiserver accepts and rejects with its exact message.</summary>
public class SchemaValidationTests
{
    private static readonly StructuralSchema Schema = Schemas.Spec("""
        type: object
        required: [name]
        properties:
          name: {type: string, minLength: 2, maxLength: 5, pattern: '^[a-zé]+$'}
          count: {type: integer, format: int32, minimum: 1, maximum: 16}
          ratio: {type: number, minimum: 0, maximum: 1, exclusiveMaximum: true}
          above: {type: integer, minimum: 10, exclusiveMinimum: true}
          step: {type: integer, multipleOf: 5}
          enabled: {type: boolean}
          mode: {type: string, enum: [A, B]}
          level: {type: integer, enum: [1, 2]}
          when: {type: string, format: date-time}
          odd: {type: string, format: no-such-format}
          size:
            x-kubernetes-int-or-string: true
            anyOf: [{type: integer}, {type: string}]
            pattern: '^[0-9]+Gi$'
          tags: {type: array, minItems: 1, maxItems: 3, items: {type: string}}
          labels: {type: object, minProperties: 1, maxProperties: 2, additionalProperties: {type: string, maxLength: 3}}
          note: {type: string, nullable: true}
          digits: {type: string, pattern: '^\d+$'}
        """);

    [Fact]
    public void AValidObjectHasNoErrors() =>
        Assert.Empty(Schemas.Validate(Schema, """
            {"name":"abc","count":16,"ratio":0.5,"above":11,"step":10,"enabled":true,"mode":"B","level":2,
             "when":"2024-02-29T23:59:59.123+02:00","odd":"anything","size":"10Gi","tags":["a"],"labels":{"a":"b"},
             "note":null,"digits":"0123"}
            """));

    [Fact]
    public void RequiredPropertyMissing() =>
        Assert.Equal(["spec.name: Required value"], Schemas.Validate(Schema, "{}"));

    [Theory]
    [InlineData("\"a\"", "spec.name: Invalid value: \"a\": spec.name in body should be at least 2 chars long")]
    [InlineData("\"abcdef\"", "spec.name: Too long: may not be more than 5 bytes")]
    [InlineData("\"ABCDEFG\"", "spec.name: Too long: may not be more than 5 bytes")]
    [InlineData("\"ab1\"", "spec.name: Invalid value: \"ab1\": spec.name in body should match '^[a-zé]+$'")]
    [InlineData("\"abc\\n\"", "spec.name: Invalid value: \"abc\\n\": spec.name in body should match '^[a-zé]+$'")]
    [InlineData("5", "spec.name: Invalid value: \"integer\": spec.name in body must be of type string: \"integer\"")]
    public void StringKeywordsReportOnlyTheFirstFailure(string name, string expected) =>
        Assert.Equal([expected], Schemas.Validate(Schema, $$"""{"name":{{name}}}"""));

    [Fact]
    public void LengthsCountCharactersNotBytes() =>
        Assert.Empty(Schemas.Validate(Schema, """{"name":"ééééé"}"""));

    [Fact]
    public void PatternClassesAreAsciiLikeGo() =>
        Assert.Equal(
            ["spec.digits: Invalid value: \"١٢\": spec.digits in body should match '^\\d+$'"],
            Schemas.Validate(Schema, """{"name":"ab","digits":"١٢"}"""));

    [Theory]
    [InlineData("20", "spec.count: Invalid value: 20: spec.count in body should be less than or equal to 16")]
    [InlineData("0", "spec.count: Invalid value: 0: spec.count in body should be greater than or equal to 1")]
    [InlineData("\"string\"", "spec.count: Invalid value: \"string\": spec.count in body must be of type integer: \"string\"")]
    [InlineData("1.5", "spec.count: Invalid value: \"double\": spec.count in body must be of type int32: \"double\"")]
    public void IntegerKeywords(string count, string expected) =>
        Assert.Equal([expected], Schemas.Validate(Schema, $$"""{"name":"ab","count":{{count}}}"""));

    [Fact]
    public void AnIntegralFloatIsAnInteger() =>
        Assert.Empty(Schemas.Validate(Schema, """{"name":"ab","count":2.0}"""));

    [Theory]
    [InlineData("\"ratio\":1", "spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1")]
    [InlineData("\"ratio\":1.5", "spec.ratio: Invalid value: 1.5: spec.ratio in body should be less than 1")]
    [InlineData("\"ratio\":-0.25", "spec.ratio: Invalid value: -0.25: spec.ratio in body should be greater than or equal to 0")]
    [InlineData("\"above\":10", "spec.above: Invalid value: 10: spec.above in body should be greater than 10")]
    [InlineData("\"step\":7", "spec.step: Invalid value: 7: spec.step in body should be a multiple of 5")]
    [InlineData("\"ratio\":\"x\"", "spec.ratio: Invalid value: \"string\": spec.ratio in body must be of type number: \"string\"")]
    public void NumberKeywords(string field, string expected) =>
        Assert.Equal([expected], Schemas.Validate(Schema, $$"""{"name":"ab",{{field}}}"""));

    [Fact]
    public void AnIntegerIsANumber() =>
        Assert.Empty(Schemas.Validate(Schema, """{"name":"ab","ratio":0}"""));

    [Theory]
    [InlineData("\"enabled\":\"yes\"", "spec.enabled: Invalid value: \"string\": spec.enabled in body must be of type boolean: \"string\"")]
    [InlineData("\"tags\":\"a\"", "spec.tags: Invalid value: \"string\": spec.tags in body must be of type array: \"string\"")]
    [InlineData("\"labels\":[]", "spec.labels: Invalid value: \"array\": spec.labels in body must be of type object: \"array\"")]
    [InlineData("\"enabled\":null", "spec.enabled: Invalid value: \"null\": spec.enabled in body must be of type boolean: \"null\"")]
    public void TypeMismatches(string field, string expected) =>
        Assert.Equal([expected], Schemas.Validate(Schema, $$"""{"name":"ab",{{field}}}"""));

    [Fact]
    public void NullableAcceptsNull() =>
        Assert.Empty(Schemas.Validate(Schema, """{"name":"ab","note":null}"""));

    [Theory]
    [InlineData("\"mode\":\"C\"", "spec.mode: Unsupported value: \"C\": supported values: \"A\", \"B\"")]
    [InlineData("\"level\":3", "spec.level: Unsupported value: 3: supported values: \"1\", \"2\"")]
    public void EnumRejectsOtherValues(string field, string expected) =>
        Assert.Equal([expected], Schemas.Validate(Schema, $$"""{"name":"ab",{{field}}}"""));

    [Fact]
    public void EnumComparesNumbersByValue() =>
        Assert.Empty(Schemas.Validate(Schema, """{"name":"ab","level":2.0}"""));

    [Theory]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2024-02-30T00:00:00Z")]
    [InlineData("2024-01-01 00:00:00Z")]
    [InlineData("2024-01-01T24:00:00Z")]
    [InlineData("yesterday")]
    public void DateTimeFormatIsChecked(string when) =>
        Assert.Equal(
            [$"spec.when: Invalid value: \"{when}\": spec.when in body must be of type date-time: \"{when}\""],
            Schemas.Validate(Schema, $$"""{"name":"ab","when":"{{when}}"}"""));

    [Theory]
    [InlineData("5")]
    [InlineData("\"10Gi\"")]
    public void IntOrStringAcceptsBoth(string size) =>
        Assert.Empty(Schemas.Validate(Schema, $$"""{"name":"ab","size":{{size}}}"""));

    [Fact]
    public void IntOrStringAppliesThePatternToStringsOnly() =>
        Assert.Equal(
            ["spec.size: Invalid value: \"10G\": spec.size in body should match '^[0-9]+Gi$'"],
            Schemas.Validate(Schema, """{"name":"ab","size":"10G"}"""));

    [Fact]
    public void IntOrStringRejectsOtherTypesThroughTypeAndAnyOf() =>
        Assert.Equal(
            [
                "spec.size: Invalid value: \"boolean\": spec.size in body must be of type integer,string: \"boolean\"",
                "<nil>: Invalid value: \"\": \"spec.size\" must validate at least one schema (anyOf)",
                "spec.size: Invalid value: \"boolean\": spec.size in body must be of type integer: \"boolean\"",
            ],
            Schemas.Validate(Schema, """{"name":"ab","size":true}"""));

    [Theory]
    [InlineData("\"tags\":[]", "spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items")]
    [InlineData("\"tags\":[\"a\",\"b\",\"c\",\"d\"]", "spec.tags: Too many: 4: must have at most 3 items")]
    [InlineData("\"tags\":[\"a\",1]", "spec.tags[1]: Invalid value: \"integer\": spec.tags[1] in body must be of type string: \"integer\"")]
    public void ArrayKeywords(string field, string expected) =>
        Assert.Equal([expected], Schemas.Validate(Schema, $$"""{"name":"ab",{{field}}}"""));

    [Theory]
    [InlineData("\"labels\":{}", "spec.labels: Invalid value: 0: spec.labels in body should have at least 1 properties")]
    [InlineData("\"labels\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"toolong\"}", "spec.labels: Too many: 3: must have at most 2 items")]
    [InlineData("\"labels\":{\"a\":\"toolong\"}", "spec.labels.a: Too long: may not be more than 3 bytes")]
    public void MapKeywords(string field, string expected) =>
        Assert.Equal([expected], Schemas.Validate(Schema, $$"""{"name":"ab",{{field}}}"""));

    [Fact]
    public void ChildErrorsComeBeforeTheParentsRequiredErrors() =>
        Assert.Equal(
            [
                "spec.count: Invalid value: 0: spec.count in body should be greater than or equal to 1",
                "spec.mode: Unsupported value: \"Z\": supported values: \"A\", \"B\"",
                "spec.name: Required value",
            ],
            Schemas.Validate(Schema, """{"count":0,"mode":"Z"}"""));

    [Fact]
    public void MissingRequiredSpecIsReportedAtTheRoot()
    {
        var schema = Schemas.Compile("""
            type: object
            required: [spec]
            properties:
              spec: {type: object}
            """);
        Assert.Equal(["spec: Required value"], Schemas.Messages(schema.Validate(Schemas.Json("""{"kind":"Widget"}"""))));
    }

    [Fact]
    public void EmbeddedResourcesNeedApiVersionAndKind()
    {
        var schema = Schemas.Spec("""
            type: object
            properties:
              template:
                type: object
                x-kubernetes-embedded-resource: true
                x-kubernetes-preserve-unknown-fields: true
            """);

        Assert.Empty(Schemas.Validate(schema, """{"template":{"apiVersion":"v1","kind":"ConfigMap","data":{}}}"""));
        Assert.Equal(
            [
                "spec.template.kind: Required value: must not be empty",
                "spec.template.apiVersion: Invalid value: \"a/b/c\": unexpected GroupVersion string: a/b/c",
            ],
            Schemas.Validate(schema, """{"template":{"apiVersion":"a/b/c"}}"""));
    }

    [Fact]
    public void FormatsOnlyApplyToStringsAndUnknownFormatsAreIgnored() =>
        Assert.Empty(Schemas.Validate(Schema, """{"name":"ab","odd":"not checked at all"}"""));
}
