using System.Text.Json.Nodes;
using Flock.Sandbox.Admission;

namespace Flock.Admission.Tests;

/// <summary>The create/update pipeline (prune, default, validate) and the 422 Status a client receives.</summary>
public class AdmissionTests
{
    private static readonly StructuralSchema Schema = Schemas.Spec("""
        type: object
        required: [name]
        properties:
          name: {type: string, minLength: 1}
          mode: {type: string, enum: [A, B], default: A}
          size: {type: integer, maximum: 5}
          note: {type: string}
          settings:
            type: object
            default: {}
            properties:
              level: {type: integer, default: 3, maximum: 2}
          generation:
            type: integer
            x-kubernetes-validations:
            - rule: self >= oldSelf
              message: generation may not go back
        """);

    [Fact]
    public void CreatePrunesThenDefaultsThenValidates()
    {
        var obj = Schemas.Object("""{"name":"n","bogus":1,"note":null}""");

        var result = CustomResourceAdmission.Admit(Schema, obj, null);

        Assert.Equal(["unknown field \"spec.bogus\""], result.Warnings);
        // The default of settings.level (3) breaks its own maximum: defaults are validated like user input.
        Assert.Equal(["spec.settings.level: Invalid value: 3: spec.settings.level in body should be less than or equal to 2"], Schemas.Messages(result.Errors));
        Assert.False(result.Allowed);
        Assert.Equal("""{"name":"n","mode":"A","settings":{"level":3}}""", obj["spec"]!.ToJsonString());
    }

    [Fact]
    public void ANullWithoutDefaultIsDroppedSoRequiredReportsIt()
    {
        var obj = Schemas.Object("""{"name":null,"settings":{"level":1}}""");

        var result = CustomResourceAdmission.Admit(Schema, obj, null);

        Assert.Equal(
            [
                "spec.name: Required value",
                "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
            ],
            Schemas.Messages(result.Errors));
    }

    [Fact]
    public void UpdatePassesTheOldObjectToTransitionRules()
    {
        var old = Schemas.Object("""{"name":"n","mode":"A","settings":{"level":1},"generation":4}""");

        Assert.True(CustomResourceAdmission.Admit(Schema, Schemas.Object("""{"name":"n","settings":{"level":1},"generation":5}"""), old).Allowed);
        Assert.Equal(
            ["spec.generation: Invalid value: \"integer\": generation may not go back"],
            Schemas.Messages(CustomResourceAdmission.Admit(Schema, Schemas.Object("""{"name":"n","settings":{"level":1},"generation":3}"""), old).Errors));
    }

    [Fact]
    public void OneErrorMakesAMessageWithoutBrackets()
    {
        var status = InvalidStatus.Build("FlockTrainingNode", "flock.io", "node-1", [FieldError.Required("spec.taskId")]);

        Assert.Equal("FlockTrainingNode.flock.io \"node-1\" is invalid: spec.taskId: Required value", status.Message);
    }

    [Fact]
    public void TheStatusBodyHasTheApiserverShape()
    {
        var errors = new[]
        {
            FieldError.Required("spec.taskId"),
            FieldError.NotSupported("spec.placement.mode", JsonValue.Create("Foo"), ["InCluster", "Akash", "Auto"]),
            FieldError.Required("spec.taskId"),
        };

        var status = InvalidStatus.Build("FlockTrainingNode", "flock.io", "node-1", errors);
        var json = StatusJson.ToJson(status);

        var expected = JsonNode.Parse("""
            {
              "apiVersion": "v1",
              "code": 422,
              "details": {
                "causes": [
                  {"field": "spec.taskId", "message": "Required value", "reason": "FieldValueRequired"},
                  {"field": "spec.placement.mode", "message": "Unsupported value: \"Foo\": supported values: \"InCluster\", \"Akash\", \"Auto\"", "reason": "FieldValueNotSupported"},
                  {"field": "spec.taskId", "message": "Required value", "reason": "FieldValueRequired"}
                ],
                "group": "flock.io",
                "kind": "FlockTrainingNode",
                "name": "node-1"
              },
              "kind": "Status",
              "message": "FlockTrainingNode.flock.io \"node-1\" is invalid: [spec.taskId: Required value, spec.placement.mode: Unsupported value: \"Foo\": supported values: \"InCluster\", \"Akash\", \"Auto\"]",
              "metadata": {},
              "reason": "Invalid",
              "status": "Failure"
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, json), json.ToJsonString());
        Assert.Equal(["kind", "apiVersion", "metadata", "status", "message", "reason", "details", "code"], json.Select(p => p.Key));
    }

    [Fact]
    public void ACoreGroupKindHasNoDot()
    {
        var status = InvalidStatus.Build("ConfigMap", string.Empty, "c", [FieldError.Required("data")]);
        Assert.Equal("ConfigMap \"c\" is invalid: data: Required value", status.Message);
    }

    [Fact]
    public void RealCrdErrorsBecomeAStatus()
    {
        var schema = StructuralSchema.Compile(k8s.KubernetesYaml.Deserialize<k8s.Models.V1JSONSchemaProps>("""
            type: object
            properties:
              spec:
                type: object
                properties:
                  gpu: {type: integer, maximum: 16}
            """));
        var obj = Schemas.Json("""{"apiVersion":"flock.io/v1alpha1","kind":"FlockTrainingNode","metadata":{"name":"x"},"spec":{"gpu":20}}""");

        var result = CustomResourceAdmission.Admit(schema, obj, null);
        var status = InvalidStatus.Build("FlockTrainingNode", "flock.io", "x", result.Errors);

        var cause = Assert.Single(status.Details.Causes);
        Assert.Equal("FieldValueInvalid", cause.Reason);
        Assert.Equal("spec.gpu", cause.Field);
        Assert.Equal("Invalid value: 20: spec.gpu in body should be less than or equal to 16", cause.Message);
        Assert.Equal(422, status.Code);
    }
}
