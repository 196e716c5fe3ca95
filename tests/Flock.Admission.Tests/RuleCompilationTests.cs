using Flock.Sandbox.Admission;

namespace Flock.Admission.Tests;

/// <summary>Rules the apiserver refuses when the CRD is created are compile errors naming the rule's place.</summary>
public class RuleCompilationTests
{
    private static SchemaCompileException Fails(string specYaml) =>
        Assert.Throws<SchemaCompileException>(() => Schemas.Spec(specYaml));

    private const string RulePath = "openAPIV3Schema.properties[spec].x-kubernetes-validations[0]";

    [Fact]
    public void ASyntaxErrorNamesTheRuleAndItsPath()
    {
        var e = Fails("""
            type: object
            x-kubernetes-validations:
            - rule: "self.a +"
            """);

        var error = Assert.Single(e.Errors);
        Assert.Equal(RulePath + ".rule", error.Field);
        Assert.StartsWith("compilation failed: ERROR: <input>:1:9: Syntax error: ", error.Detail);
        Assert.Contains("\"self.a +\"", error.ToString());
    }

    [Fact]
    public void AnUndeclaredFieldIsRefusedLikeCelGoDoes()
    {
        var e = Fails("""
            type: object
            properties:
              mode: {type: string}
            x-kubernetes-validations:
            - rule: self.modee == 'x'
            """);

        Assert.Equal(
            RulePath + ".rule: Invalid value: \"self.modee == 'x'\": compilation failed: ERROR: <input>:1:5: undefined field 'modee'\n | self.modee == 'x'\n | ....^",
            Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void UndeclaredVariablesAndFunctionsAreRefused()
    {
        var e = Fails("""
            type: object
            x-kubernetes-validations:
            - rule: other > 1
            - rule: frobnicate(self)
            """);

        Assert.Equal(2, e.Errors.Count);
        Assert.Contains("undeclared reference to 'other' (in container '')", e.Errors[0].Detail);
        Assert.Contains("undeclared reference to 'frobnicate' (in container '')", e.Errors[1].Detail);
    }

    [Fact]
    public void MacroVariablesFollowTheItemSchema()
    {
        var e = Fails("""
            type: object
            properties:
              env:
                type: array
                items:
                  type: object
                  properties:
                    name: {type: string}
            x-kubernetes-validations:
            - rule: self.env.all(e, e.name != '') && self.env.exists(e, e.nam == 'x')
            """);

        Assert.Contains("undefined field 'nam'", Assert.Single(e.Errors).Detail);
    }

    [Fact]
    public void ReasonFieldPathAndMessageAreChecked()
    {
        var e = Fails("""
            type: object
            properties:
              a: {type: string}
            x-kubernetes-validations:
            - rule: "true"
              reason: FieldValueBogus
            - rule: "true"
              fieldPath: .missing
            - rule: "true"
              message: "  "
            """);

        Assert.Equal(
            [
                RulePath + ".reason: Unsupported value: \"FieldValueBogus\": supported values: \"FieldValueDuplicate\", \"FieldValueForbidden\", \"FieldValueInvalid\", \"FieldValueRequired\"",
                "openAPIV3Schema.properties[spec].x-kubernetes-validations[1].fieldPath: Invalid value: \".missing\": fieldPath must be a valid path: does not refer to a valid field",
                "openAPIV3Schema.properties[spec].x-kubernetes-validations[2].message: Invalid value: \"  \": message must be non-empty if specified",
            ],
            Schemas.Messages(e.Errors));
    }

    [Fact]
    public void OldSelfIsRefusedInsideItemsThatCannotBeCorrelated()
    {
        var e = Fails("""
            type: object
            properties:
              tags:
                type: array
                x-kubernetes-list-type: set
                items:
                  type: string
                  x-kubernetes-validations:
                  - rule: self == oldSelf
            """);

        Assert.Equal(
            "openAPIV3Schema.properties[spec].properties[tags].items.x-kubernetes-validations[0].rule: Invalid value: \"self == oldSelf\": oldSelf cannot be used on the uncorrelatable portion of the schema within openAPIV3Schema.properties[spec].properties[tags].items",
            Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void AnInvalidPatternIsACompileError()
    {
        var e = Fails("""
            type: object
            properties:
              a: {type: string, pattern: '(?=x)y'}
            """);

        Assert.Equal("openAPIV3Schema.properties[spec].properties[a].pattern", Assert.Single(e.Errors).Field);
    }

    [Fact]
    public void RulesGetTheirCompiledForm()
    {
        var schema = Schemas.Spec("""
            type: object
            properties:
              a: {type: string}
            x-kubernetes-validations:
            - rule: self.a == oldSelf.a
              fieldPath: ".a"
              message: " trimmed "
            """);

        var rule = Assert.Single(schema.Properties["spec"].Rules);
        Assert.True(rule.UsesOldSelf);
        Assert.Equal("a", rule.FieldPath);
        Assert.Equal("trimmed", rule.MessageOrDefault);
    }
}
