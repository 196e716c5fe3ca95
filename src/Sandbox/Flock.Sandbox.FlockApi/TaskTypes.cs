namespace Flock.Sandbox.FlockApi;

/// <summary>
/// The task_type values a task carries. Confirmed from FLock-io/FLock-validator (ef8368e): each validation module
/// declares the type it judges — validator/modules/lora/__init__.py "training", modules/rl/__init__.py
/// "reinforcement_learning", modules/llm_judge/__init__.py "llm_evaluation".
/// </summary>
public static class TaskTypes
{
    public const string Training = "training";
    public const string ReinforcementLearning = "reinforcement_learning";
    public const string LlmEvaluation = "llm_evaluation";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal) { Training, ReinforcementLearning, LlmEvaluation };
}
