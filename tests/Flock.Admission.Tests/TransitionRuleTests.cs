using Flock.Sandbox.Admission;

namespace Flock.Admission.Tests;

/// <summary>Rules that read oldSelf run on update only, where the old node exists; optionalOldSelf runs them always.</summary>
public class TransitionRuleTests
{
    private static readonly StructuralSchema Schema = Schemas.Spec("""
        type: object
        properties:
          taskId:
            type: integer
            x-kubernetes-validations:
            - rule: self == oldSelf
              message: taskId is immutable
          replicas:
            type: integer
            x-kubernetes-validations:
            - rule: "!oldSelf.hasValue() || self >= oldSelf.value()"
              message: replicas may only grow
              optionalOldSelf: true
            - rule: self <= 10
              message: at most 10 replicas
          env:
            type: array
            x-kubernetes-list-type: map
            x-kubernetes-list-map-keys: [name]
            items:
              type: object
              properties:
                name: {type: string}
                value: {type: string}
              x-kubernetes-validations:
              - rule: self.value == oldSelf.value
                message: env values are fixed
        """);

    [Fact]
    public void OnCreateATransitionRuleIsNotEvaluated() =>
        Assert.Empty(Schemas.Validate(Schema, """{"taskId":5,"env":[{"name":"A","value":"1"}]}"""));

    [Fact]
    public void OnUpdateATransitionRuleComparesWithTheOldValue()
    {
        var old = Schemas.Object("""{"taskId":5}""");

        Assert.Empty(Schema.Validate(Schemas.Object("""{"taskId":5}"""), old));
        Assert.Equal(
            ["spec.taskId: Invalid value: \"integer\": taskId is immutable"],
            Schemas.Messages(Schema.Validate(Schemas.Object("""{"taskId":6}"""), old)));
    }

    [Fact]
    public void AFieldAddedOnUpdateHasNoOldValueSoItsTransitionRuleIsSkipped() =>
        Assert.Empty(Schema.Validate(Schemas.Object("""{"taskId":6}"""), Schemas.Object("{}")));

    [Fact]
    public void OptionalOldSelfRulesRunOnCreateWithAnEmptyOldSelf()
    {
        Assert.Empty(Schemas.Validate(Schema, """{"replicas":3}"""));
        Assert.Equal(
            ["spec.replicas: Invalid value: \"integer\": replicas may only grow"],
            Schemas.Messages(Schema.Validate(Schemas.Object("""{"replicas":2}"""), Schemas.Object("""{"replicas":3}"""))));
    }

    [Fact]
    public void MapListItemsAreMatchedByKeyAcrossUpdates()
    {
        var old = Schemas.Object("""{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}""");

        Assert.Empty(Schema.Validate(Schemas.Object("""{"env":[{"name":"B","value":"2"},{"name":"A","value":"1"},{"name":"C","value":"3"}]}"""), old));
        Assert.Equal(
            ["spec.env[0]: Invalid value: \"object\": env values are fixed"],
            Schemas.Messages(Schema.Validate(Schemas.Object("""{"env":[{"name":"B","value":"changed"}]}"""), old)));
    }

    [Fact]
    public void RatchetingTurnsAnUnchangedFailureIntoAWarning()
    {
        // replicas 12 was stored before the "at most 10" rule existed; an update that leaves it alone still passes.
        var old = Schemas.Object("""{"replicas":12,"taskId":1}""");
        var updated = Schemas.Object("""{"replicas":12,"taskId":1,"env":[]}""");

        var result = Schema.ValidateWithWarnings(updated, old);

        Assert.Empty(result.Errors);
        Assert.Equal(["spec.replicas: Invalid value: \"integer\": at most 10 replicas"], result.Warnings);
        Assert.Single(Schema.ValidateWithWarnings(updated, old, new ValidationOptions(Ratcheting: false)).Errors);
    }

    [Fact]
    public void RatchetingIgnoresSchemaErrorsOfUnchangedFields()
    {
        var schema = Schemas.Spec("""
            type: object
            properties:
              name: {type: string, maxLength: 3}
              other: {type: string}
            """);
        var old = Schemas.Object("""{"name":"toolong"}""");

        Assert.Empty(schema.Validate(Schemas.Object("""{"name":"toolong","other":"x"}"""), old));
        Assert.Equal(
            ["spec.name: Too long: may not be more than 3 bytes"],
            Schemas.Messages(schema.Validate(Schemas.Object("""{"name":"toolonger"}"""), old)));
    }
}
