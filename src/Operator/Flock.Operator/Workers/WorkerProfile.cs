using Flock.Crds.V1Alpha1;
using k8s;
using k8s.Models;

namespace Flock.Operator.Workers;

/// <summary>
/// What differs between the two kinds, in one place, so the reconciler core and the backends are
/// written once: the app name, the task ids (and how they become TASK_ID), whether the worker needs
/// the Hugging Face user name, and the spec both kinds share.
/// </summary>
public sealed record WorkerProfile
{
    public required IKubernetesObject<V1ObjectMeta> Resource { get; init; }
    public required WorkerSpec Spec { get; init; }
    public required string Kind { get; init; }

    /// <summary>app.kubernetes.io/name of the worker (flock-training-node or flock-validator).</summary>
    public required string AppName { get; init; }

    public required IReadOnlyList<long> TaskIds { get; init; }
    public required string Image { get; init; }
    public string? GitUrl { get; init; }

    /// <summary>One-shot runs as Jobs this many times a day; null runs one long-lived worker.</summary>
    public TrainingSchedule? Schedule { get; init; }

    /// <summary>The role whose stake the contract must hold for this worker.</summary>
    public required Staking.StakeRole StakeRole { get; init; }

    /// <summary>The container's arguments (FLock-validator's "MODULE --task_ids …"); null keeps the image's own.</summary>
    public IReadOnlyList<string>? Args { get; init; }

    /// <summary>FLock-validator's module, when the validator runs one (lora, llm_judge, rl).</summary>
    public string? Module { get; init; }

    /// <summary>OPENAI_BASE_URL and OPENAI_API_KEY for FLock-validator's llm_judge module.</summary>
    public LlmJudgeSpec? LlmJudge { get; init; }

    /// <summary>Training nodes push adapters under the user's name; validators only need a token.</summary>
    public required bool NeedsHuggingFaceUsername { get; init; }

    public string Name => Resource.Metadata.Name;
    public string Namespace => Resource.Metadata.NamespaceProperty;

    /// <summary>TASK_ID as the worker reads it: one id, or ids joined by commas (the validator accepts 1,2,3).</summary>
    public string TaskIdEnv => string.Join(',', TaskIds);

    public static WorkerProfile For(FlockTrainingNode node) => new()
    {
        Resource = node,
        Spec = node.Spec,
        Kind = FlockTrainingNode.KindName,
        AppName = "flock-training-node",
        TaskIds = [node.Spec.TaskId],
        Image = node.Spec.Image,
        GitUrl = node.Spec.GitUrl,
        Schedule = node.Spec.Schedule,
        NeedsHuggingFaceUsername = true,
        StakeRole = Staking.StakeRole.Node,
    };

    public static WorkerProfile For(FlockValidator validator) => new()
    {
        Resource = validator,
        Spec = validator.Spec,
        Kind = FlockValidator.KindName,
        AppName = "flock-validator",
        TaskIds = validator.Spec.TaskIds,
        Image = validator.Spec.Image,
        Module = validator.Spec.Module,
        Args = validator.Spec.Module is { } module ? [module, "--task_ids", string.Join(',', validator.Spec.TaskIds)] : null,
        LlmJudge = validator.Spec.Module == "llm_judge" ? validator.Spec.LlmJudge : null,
        NeedsHuggingFaceUsername = false,
        StakeRole = Staking.StakeRole.Validator,
    };
}
