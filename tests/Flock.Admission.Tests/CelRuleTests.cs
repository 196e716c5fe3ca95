using Flock.Sandbox.Admission;

namespace Flock.Admission.Tests;

/// <summary>x-kubernetes-validations: evaluation, messages, paths, reasons, errors and transition rules.</summary>
public class CelRuleTests
{
    private static readonly StructuralSchema Schema = Schemas.Spec("""
        type: object
        properties:
          mode: {type: string}
          amount: {type: string}
          replicas: {type: integer}
          ratio: {type: number}
          x-y: {type: string}
          akash:
            type: object
            properties:
              region: {type: string}
          attrs:
            type: object
            additionalProperties:
              type: string
              x-kubernetes-validations:
              - rule: self.size() <= 3
                message: attribute values are short
          items:
            type: array
            items:
              type: object
              properties:
                name: {type: string}
              x-kubernetes-validations:
              - rule: self.name.startsWith('i-')
          limits:
            type: object
            x-kubernetes-validations:
            - rule: self.max >= self.min
              message: max must not be below min
              fieldPath: .max
            properties:
              min: {type: integer}
              max: {type: integer}
        x-kubernetes-validations:
        - rule: "!has(self.mode) || self.mode != 'Forbidden'"
          message: mode Forbidden is not allowed
          reason: FieldValueForbidden
          fieldPath: .mode
        - rule: "!has(self.mode) || self.mode != 'Akash' || has(self.akash)"
          message: akash is required in Akash mode
          reason: FieldValueRequired
          fieldPath: .akash
        - rule: "!has(self.amount) || double(self.amount) > 0.0"
          message: amount must be positive
          fieldPath: .amount
        - rule: "!has(self.mode) || self.mode != 'West' || self.akash.region == 'west'"
        - rule: "!has(self.replicas) || self.replicas < 100"
          messageExpression: "'replicas is ' + string(self.replicas) + ', above 99'"
        - rule: "!has(self.mode) || self.mode != 'Dup'"
          message: not shown
          reason: FieldValueDuplicate
        - rule: "!has(self.x__dash__y) || self.x__dash__y != 'bad'"
          message: escaped names work
        - rule: "!has(self.ratio) || self.ratio != 2.0"
          message: ratio is a double even when written as 2
        """);

    [Fact]
    public void PassingRulesReportNothing() =>
        Assert.Empty(Schemas.Validate(Schema, """
            {"mode":"Akash","akash":{"region":"west"},"amount":"1.5","replicas":3,"attrs":{"a":"abc"},
             "items":[{"name":"i-1"}],"limits":{"min":1,"max":2},"x-y":"ok","ratio":1}
            """));

    [Theory]
    [InlineData("""{"mode":"Forbidden"}""", "spec.mode: Forbidden: mode Forbidden is not allowed")]
    [InlineData("""{"mode":"Akash"}""", "spec.akash: Required value: akash is required in Akash mode")]
    [InlineData("""{"amount":"0"}""", "spec.amount: Invalid value: \"object\": amount must be positive")]
    [InlineData("""{"mode":"West","akash":{"region":"east"}}""", "spec: Invalid value: \"object\": failed rule: !has(self.mode) || self.mode != 'West' || self.akash.region == 'west'")]
    [InlineData("""{"replicas":120}""", "spec: Invalid value: \"object\": replicas is 120, above 99")]
    [InlineData("""{"mode":"Dup"}""", "spec: Duplicate value: \"object\"")]
    [InlineData("""{"x-y":"bad"}""", "spec: Invalid value: \"object\": escaped names work")]
    [InlineData("""{"ratio":2}""", "spec: Invalid value: \"object\": ratio is a double even when written as 2")]
    public void AFailingRuleReportsItsMessageWithReasonAndFieldPath(string spec, string expected) =>
        Assert.Equal([expected], Schemas.Validate(Schema, spec));

    [Fact]
    public void ReadingAnAbsentFieldIsAnError()
    {
        var schema = Schemas.Spec("""
            type: object
            properties:
              mode: {type: string}
            x-kubernetes-validations:
            - rule: self.mode == 'A'
              message: mode must be A
            """);

        Assert.Equal(["spec: Invalid value: \"object\": no such key: mode evaluating rule: mode must be A"], Schemas.Validate(schema, "{}"));
    }

    [Fact]
    public void ReasonsMapToCauseTypes()
    {
        var errors = Schema.Validate(Schemas.Object("""{"mode":"Forbidden"}"""));
        Assert.Equal("FieldValueForbidden", Assert.Single(errors).Type.Reason());
    }

    [Theory]
    [InlineData("""{"amount":"abc"}""", "spec: Invalid value: \"object\": strconv.ParseFloat: parsing \"abc\": invalid syntax evaluating rule: amount must be positive")]
    [InlineData("""{"mode":"West"}""", "spec: Invalid value: \"object\": no such key: akash evaluating rule: !has(self.mode) || self.mode != 'West' || self.akash.region == 'west'")]
    public void AnEvaluationErrorIsAnInvalidValueAtTheNode(string spec, string expected) =>
        Assert.Equal([expected], Schemas.Validate(Schema, spec));

    [Fact]
    public void RulesOnItemsAndMapValuesUseIndexAndKeyPaths() =>
        Assert.Equal(
            [
                "spec.attrs[region]: Invalid value: \"string\": attribute values are short",
                "spec.items[1]: Invalid value: \"object\": failed rule: self.name.startsWith('i-')",
            ],
            Schemas.Validate(Schema, """{"attrs":{"region":"us-west","tier":"a"},"items":[{"name":"i-1"},{"name":"x"}]}"""));

    [Fact]
    public void ANestedRuleAppendsItsFieldPath() =>
        Assert.Equal(
            ["spec.limits.max: Invalid value: \"object\": max must not be below min"],
            Schemas.Validate(Schema, """{"limits":{"min":5,"max":1}}"""));

    [Fact]
    public void RulesAreSkippedWhenTheObjectHasBlockingErrors()
    {
        var schema = Schemas.Spec("""
            type: object
            properties:
              mode: {type: string, enum: [A, B]}
              name: {type: string, pattern: '^[a-z]+$'}
            x-kubernetes-validations:
            - rule: "false"
              message: always fails
            """);

        Assert.Equal(
            [
                "spec.mode: Unsupported value: \"C\": supported values: \"A\", \"B\"",
                "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
            ],
            Schemas.Validate(schema, """{"mode":"C"}"""));

        // A pattern mismatch does not block the rules.
        Assert.Equal(
            [
                "spec.name: Invalid value: \"X\": spec.name in body should match '^[a-z]+$'",
                "spec: Invalid value: \"object\": always fails",
            ],
            Schemas.Validate(schema, """{"name":"X"}"""));
    }

    [Fact]
    public void RootRulesSeeNameButNotOtherMetadata()
    {
        var schema = Schemas.Compile("""
            type: object
            properties:
              spec: {type: object}
            x-kubernetes-validations:
            - rule: self.metadata.name.startsWith('w-') && self.kind == 'Widget'
              message: names start with w-
            """);

        Assert.Empty(Schemas.Messages(schema.Validate(Schemas.Json("""{"kind":"Widget","metadata":{"name":"w-1"},"spec":{}}"""))));
        Assert.Equal(
            ["<nil>: Invalid value: \"object\": names start with w-"],
            Schemas.Messages(schema.Validate(Schemas.Json("""{"kind":"Widget","metadata":{"name":"x"},"spec":{}}"""))));
    }

    [Fact]
    public void KubernetesStringAndListFunctionsAreAvailable()
    {
        var schema = Schemas.Spec("""
            type: object
            properties:
              name: {type: string}
              ids: {type: array, items: {type: integer}}
            x-kubernetes-validations:
            - rule: self.name.lowerAscii() == 'abc' && self.name.indexOf('B') == 1 && self.name.substring(1, 2) == 'B'
              message: strings
            - rule: self.ids.isSorted() && self.ids.sum() == 6 && self.ids.max() == 3 && 'a,b'.split(',').size() == 2
              message: lists
            """);

        Assert.Empty(Schemas.Validate(schema, """{"name":"aBc","ids":[1,2,3]}"""));
        Assert.Equal(["spec: Invalid value: \"object\": lists"], Schemas.Validate(schema, """{"name":"aBc","ids":[3,2,1]}"""));
    }

    [Fact]
    public void ADecidingOperandWinsOverAnErrorInAnother()
    {
        var schema = Schemas.Spec("""
            type: object
            properties:
              mode: {type: string}
              flag: {type: boolean}
            x-kubernetes-validations:
            - rule: self.mode == 'A' || !has(self.flag)
              message: or
            - rule: self.mode == 'A' && has(self.flag)
              message: and
            """);

        // or: the error of self.mode is absorbed by the true right side; and: the false right side decides.
        Assert.Equal(["spec: Invalid value: \"object\": and"], Schemas.Validate(schema, "{}"));
        Assert.Equal(
            ["spec: Invalid value: \"object\": no such key: mode evaluating rule: or", "spec: Invalid value: \"object\": no such key: mode evaluating rule: and"],
            Schemas.Validate(schema, """{"flag":true}"""));
    }

    [Fact]
    public void AMessageExpressionThatGivesNoUsableTextFallsBackToTheMessage()
    {
        var schema = Schemas.Spec("""
            type: object
            properties:
              n: {type: integer}
            x-kubernetes-validations:
            - rule: self.n < 0
              message: static message
              messageExpression: "self.n > 5 ? '  ' : 'line\\nbreak'"
            - rule: self.n < 0
              messageExpression: "'n=' + string(self.n)"
            """);

        Assert.Equal(
            ["spec: Invalid value: \"object\": static message", "spec: Invalid value: \"object\": n=7"],
            Schemas.Validate(schema, """{"n":7}"""));
        Assert.Equal(
            ["spec: Invalid value: \"object\": static message", "spec: Invalid value: \"object\": n=1"],
            Schemas.Validate(schema, """{"n":1}"""));
    }

    [Fact]
    public void ValuesReachCelTypedByTheSchema()
    {
        var schema = Schemas.Spec("""
            type: object
            properties:
              ratio: {type: number}
              count: {type: integer}
              size: {x-kubernetes-int-or-string: true}
              x-y: {type: string}
              free: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """).Properties["spec"];
        var value = (Dictionary<string, object?>)CelValueConverter.ToCel(
            Schemas.Json("""{"ratio":2,"count":3.0,"size":"1Gi","x-y":"v","free":{"a":[1,"b"]},"undeclared":1}"""), schema)!;

        Assert.Equal(2.0, value["ratio"]);
        Assert.Equal(3L, value["count"]);
        Assert.Equal("1Gi", value["size"]);
        Assert.Equal("v", value["x__dash__y"]);
        Assert.False(value.ContainsKey("undeclared"));
        Assert.Equal(new List<object?> { 1L, "b" }, ((Dictionary<string, object?>)value["free"]!)["a"]);
    }
}
