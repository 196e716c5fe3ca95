namespace Flock.Sandbox.FlockApi;

/// <summary>
/// The base_model values a training submission may name. A training submission's base_model is a chat-template name,
/// not a Hugging Face id: the quickstart submits "qwen1.5" or "gemma" (FLock-io/testnet-training-node-quickstart
/// utils/constants.py model2base_model, README "Submit the model"), and the loss validator formats the validation set
/// with template_dict[base_model] (FLock-io/llm-loss-validator v1.1.2 src/validate.py), so any other name fails there
/// with a KeyError. These are the names src/core/template.py registers at v1.1.2.
/// </summary>
internal static class BaseModelTemplates
{
    public static IReadOnlySet<string> Known { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "default", "qwen1.5", "yi", "zephyr", "mistral", "mixtral", "llama2", "gemma", "llama3", "phi3", "phi4",
    };
}
