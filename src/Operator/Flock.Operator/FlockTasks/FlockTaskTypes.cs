namespace Flock.Operator.FlockTasks;

/// <summary>
/// The task_type values FLock's tasks carry. Each validation module of FLock-io/FLock-validator declares the type it
/// judges: validator/modules/lora "training" (LoRA adapters, what the training quickstart submits),
/// modules/rl "reinforcement_learning" (ONNX models; submit body {hg_repo_id, model_filename, revision}),
/// modules/llm_judge "llm_evaluation" (an LLM judge that needs OPENAI_BASE_URL and OPENAI_API_KEY).
/// </summary>
public static class FlockTaskTypes
{
    public const string Training = "training";
    public const string ReinforcementLearning = "reinforcement_learning";
    public const string LlmEvaluation = "llm_evaluation";
}
