using Flock.Crds.V1Alpha1;
using Flock.Operator.FlockTasks;
using Flock.Operator.Workers;
using k8s.Models;

namespace Flock.Operator.Tests.Workers;

/// <summary>
/// A worker runs only on tasks it can serve: the LoRA trainer on training tasks, llm-loss-validator on training tasks;
/// any other type holds it with a condition that names the type and what would serve it.
/// </summary>
public sealed class TaskTypeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 9, 0, 0, TimeSpan.Zero);

    private static string Body(long id, string? type) =>
        $$"""{"id": {{id}}, "title": "t", "status": "submission_phase", "final_validation_ends_at": "2026-12-20T00:00:00Z"{{(type is null ? "" : $", \"task_type\": \"{type}\"")}}}""";

    private static TaskSnapshot Read(long id, string? type) => new(id, FlockTaskParser.Parse(Body(id, type), id), Now, null);

    private static WorkerProfile Trainer() => WorkerProfile.For(new FlockTrainingNode
    {
        Metadata = new V1ObjectMeta { Name = "t", NamespaceProperty = "ns" },
        Spec = new FlockTrainingNodeSpec { TaskId = 12, Credentials = new Credentials(), Staking = new StakingSpec { Address = "0x00000000000000000000000000000000000000aa" } },
    });

    private static WorkerProfile Validator(string? image = null)
    {
        var spec = new FlockValidatorSpec { TaskIds = [7, 8], Credentials = new Credentials(), Staking = new StakingSpec { Address = "0x00000000000000000000000000000000000000aa" } };
        return WorkerProfile.For(new FlockValidator { Metadata = new V1ObjectMeta { Name = "v", NamespaceProperty = "ns" }, Spec = image is null ? spec : spec with { Image = image } });
    }

    [Fact]
    public void The_task_type_is_read_and_reaches_status()
    {
        var verdict = TaskJudge.Judge(Trainer(), [Read(12, "training")], Now);

        Assert.Equal("training", verdict.Tasks.Single().TaskType);
        Assert.False(verdict.Unservable);
        Assert.Equal("SubmissionPhase", verdict.Reason);
    }

    [Fact]
    public void A_task_that_does_not_say_its_type_is_a_training_task()
    {
        var verdict = TaskJudge.Judge(Trainer(), [Read(12, null)], Now);

        Assert.False(verdict.Unservable);
        Assert.Null(verdict.Tasks.Single().TaskType);
    }

    [Theory]
    [InlineData("reinforcement_learning", "ONNX")]
    [InlineData("llm_evaluation", "llm_judge")]
    public void The_lora_trainer_is_held_on_a_task_of_another_type(string type, string whatServes)
    {
        var verdict = TaskJudge.Judge(Trainer(), [Read(12, type)], Now);

        Assert.True(verdict.Unservable);
        Assert.Equal((ConditionStatus.False, "TaskTypeUnsupported"), (verdict.Open, verdict.Reason));
        Assert.Contains($"task 12 is a {type} task", verdict.Message, StringComparison.Ordinal);
        Assert.Contains(whatServes, verdict.Message, StringComparison.Ordinal);
        Assert.Equal(HoldReason.TaskTypeUnsupported, WorkerPlanner.HoldOf(new WorkerInputs
        {
            Generation = 1, Task = verdict, Placement = new Placement.PlacementDecision(Backend.InCluster, "test", 1),
        }));
    }

    [Fact]
    public void Llm_loss_validator_is_held_when_one_of_its_tasks_is_not_a_training_task()
    {
        var verdict = TaskJudge.Judge(Validator(), [Read(7, "training"), Read(8, "llm_evaluation")], Now);
        var pinned = TaskJudge.Judge(Validator("ghcr.io/flock-io/llm-loss-validator@sha256:" + new string('a', 64)), [Read(8, "reinforcement_learning")], Now);

        Assert.True(verdict.Unservable);
        Assert.Contains("task 8 is a llm_evaluation task", verdict.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("task 7", verdict.Message, StringComparison.Ordinal);
        Assert.True(pinned.Unservable);
    }

    [Fact]
    public void A_validator_on_another_image_is_trusted_with_any_type()
    {
        var verdict = TaskJudge.Judge(Validator("registry.example:5000/me/flock-validator:rl"), [Read(7, "reinforcement_learning"), Read(8, "llm_evaluation")], Now);

        Assert.False(verdict.Unservable);
        Assert.Equal("ValidationOpen", verdict.Reason);
    }

    [Fact]
    public void A_task_type_that_is_not_a_string_is_a_malformed_answer_naming_the_field()
    {
        var e = Assert.Throws<FlockApiException>(() => FlockTaskParser.Parse("""{"id": 12, "status": "submission_phase", "task_type": 3}""", 12));

        Assert.Equal(FlockApiError.Malformed, e.Error);
        Assert.Contains("task_type", e.Message, StringComparison.Ordinal);
    }
}
