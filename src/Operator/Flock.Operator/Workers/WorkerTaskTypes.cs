using Flock.Crds.V1Alpha1;
using Flock.Operator.FlockTasks;

namespace Flock.Operator.Workers;

/// <summary>
/// Which FLock task types a worker can serve, and what would serve the others. A FlockTrainingNode runs a LoRA trainer
/// (FLock's training quickstart: full_automation.py finetunes and submits a LoRA adapter), so it serves training tasks
/// only. A FlockValidator on llm-loss-validator (the default image) scores LoRA submissions by loss, so it serves
/// training tasks only; on another image (for example one built from FLock-io/FLock-validator, which ships none) the
/// operator cannot tell what the image serves and trusts the user.
/// </summary>
public static class WorkerTaskTypes
{
    private const string LossValidatorImage = "ghcr.io/flock-io/llm-loss-validator";

    public static bool Serves(WorkerProfile profile, string taskType) => profile.Module is { } module
        ? TypeOf(module) == taskType
        : taskType == FlockTaskTypes.Training || (profile.Kind == FlockValidator.KindName && !RunsLossValidator(profile));

    /// <summary>The task type each FLock-validator module judges (validator/modules/*/__init__.py).</summary>
    public static string TypeOf(string module) => module switch
    {
        "llm_judge" => FlockTaskTypes.LlmEvaluation,
        "rl" => FlockTaskTypes.ReinforcementLearning,
        _ => FlockTaskTypes.Training,
    };

    /// <summary>The module that judges a task type.</summary>
    private static string ModuleFor(string taskType) => taskType switch
    {
        FlockTaskTypes.LlmEvaluation => "llm_judge",
        FlockTaskTypes.ReinforcementLearning => "rl",
        _ => "lora",
    };

    private static bool RunsLossValidator(WorkerProfile profile) => Repository(profile.Image) == LossValidatorImage;

    /// <summary>The image reference without digest or tag (a registry port, host:5000/x, is not a tag).</summary>
    private static string Repository(string image)
    {
        var name = image.Split('@')[0];
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }

    /// <summary>The condition message: which tasks are of which type, what this worker runs, and what would serve them.</summary>
    public static string Explain(WorkerProfile profile, IReadOnlyList<FlockTask> unservable)
    {
        var tasks = string.Join("; ", unservable.Select(t => $"task {t.Id} is a {t.EffectiveType} task"));
        var runs = profile.Kind == FlockTrainingNode.KindName
            ? "a FlockTrainingNode runs a LoRA trainer, which serves only training tasks"
            : profile.Module is { } module
            ? $"this FlockValidator runs FLock-validator's {module} module, which judges only {TypeOf(module)} tasks (one module per validator: use a FlockValidator with module {string.Join(" or ", unservable.Select(t => ModuleFor(t.EffectiveType)).Distinct())} for the others)"
            : $"this FlockValidator runs llm-loss-validator ({profile.Image}), which scores only training (LoRA) tasks";
        var serving = string.Join("; ", unservable.Select(t => t.EffectiveType).Distinct().Order(StringComparer.Ordinal).Select(WhatServes));
        return $"{tasks}: {runs}. {serving}. The worker is held: point it at a training task, or remove it";
    }

    private static string WhatServes(string type) => type switch
    {
        FlockTaskTypes.ReinforcementLearning =>
            "reinforcement_learning tasks take ONNX models (FLock-validator's modules/rl train_example) and are validated by FLock-validator's rl module",
        FlockTaskTypes.LlmEvaluation =>
            "llm_evaluation tasks are judged by FLock-validator's llm_judge module (OPENAI_BASE_URL and OPENAI_API_KEY)",
        _ => $"the operator knows no worker for {type} tasks",
    };
}
