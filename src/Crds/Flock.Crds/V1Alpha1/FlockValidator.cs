using System.Text.Json.Serialization;
using Flock.Crds.Schema;
using k8s;
using k8s.Models;

namespace Flock.Crds.V1Alpha1;

/// <summary>A FLock AI Arena validator: picks up validation assignments for its tasks and scores submissions by loss.</summary>
[CustomResource(FlockApi.Group, FlockApi.Version, KindName, "flockvalidators", ShortNames = ["fv"], Categories = ["flock"])]
[PrinterColumn("Phase", "string", ".status.phase", Order = 1, Description = "Where the worker stands")]
[PrinterColumn("Tasks", "string", ".spec.taskIds", Order = 2, Description = "FLock task ids")]
[PrinterColumn("Backend", "string", ".status.workload.backend", Order = 3, Description = "InCluster or Akash")]
[PrinterColumn("Staked", "boolean", ".status.staking.eligible", Order = 4, Description = "A stake that counts on every task")]
[PrinterColumn("Provider", "string", ".status.akash.provider", Order = 5, Priority = 1, Description = "Akash provider holding the lease")]
[PrinterColumn("Price", "string", ".status.akash.price", Order = 6, Description = "Lease price per block")]
[PrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", Order = 7, Priority = 1, Description = "Ready condition")]
[PrinterColumn("Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason", Order = 8, Priority = 1, Description = "Why Ready has its status")]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp", Order = 9)]
public sealed class FlockValidator : IKubernetesObject<V1ObjectMeta>, IFlockWorker
{
    public const string KindName = "FlockValidator";

    /// <summary>APIVersion defines the versioned schema of this representation of an object.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = FlockApi.ApiVersion;

    /// <summary>Kind is a string value representing the REST resource this object represents.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindName;

    /// <summary>Standard object metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>What to run: the tasks, credentials, stake, compute and placement.</summary>
    [JsonPropertyName("spec"), Required]
    public FlockValidatorSpec Spec { get; set; } = new();

    /// <summary>What the operator observed: phase, conditions, tasks, stake, workload and Akash lease.</summary>
    [JsonPropertyName("status")]
    public FlockValidatorStatus? Status { get; set; }

    WorkerSpec IFlockWorker.Spec => Spec;
    WorkerStatus? IFlockWorker.Status => Status;
}

/// <summary>Desired state of a validator.</summary>
[CelRule("size(self.taskIds) > 0", "taskIds must name at least one task", FieldPath = ".taskIds", Reason = "FieldValueRequired")]
[CelRule("self.taskIds.all(t, self.taskIds.exists_one(u, u == t))", "taskIds must not repeat a task id",
    FieldPath = ".taskIds")]
[CelRule("!has(self.module) || !self.image.startsWith('ghcr.io/flock-io/llm-loss-validator')",
    "module runs FLock-validator (run.py <module> --task_ids …), which ships no image: set image to one built from FLock-io/FLock-validator",
    FieldPath = ".image")]
[CelRule("!has(self.module) || self.module != 'llm_judge' || has(self.llmJudge)",
    "module llm_judge needs llmJudge.apiKey: the OPENAI_API_KEY the judge calls its LLM with (a FLock API Platform key)",
    FieldPath = ".llmJudge", Reason = "FieldValueRequired")]
public sealed record FlockValidatorSpec : WorkerSpec
{
    /// <summary>Default worker image: the current llm-loss-validator release.</summary>
    public const string DefaultImage = "ghcr.io/flock-io/llm-loss-validator:v1.1.2";

    /// <summary>FLock task ids to validate (TASK_ID, comma-joined: the validator accepts 1,2,3).</summary>
    [Required, Length(1, 64), ListType("set")]
    public IReadOnlyList<long> TaskIds { get; init; } = [];

    /// <summary>Worker image; the default is the current llm-loss-validator release.</summary>
    [Default("\"" + DefaultImage + "\""), Length(1, 512), Pattern(Patterns.Image)]
    public string Image { get; init; } = DefaultImage;

    /// <summary>
    /// FLock-validator module to run: lora (training tasks), llm_judge (llm_evaluation tasks) or rl
    /// (reinforcement_learning tasks). The container gets the arguments "MODULE --task_ids ID,ID" (FLock-validator's
    /// run.py) and FLOCK_API_KEY and HF_TOKEN from the environment. Unset runs llm-loss-validator's own entrypoint.
    /// </summary>
    [Pattern("^(lora|llm_judge|rl)$")]
    public string? Module { get; init; }

    /// <summary>The LLM judge's OpenAI-compatible endpoint, for module llm_judge.</summary>
    public LlmJudgeSpec? LlmJudge { get; init; }
}

/// <summary>What FLock-validator's llm_judge module calls its judge with (OPENAI_BASE_URL and OPENAI_API_KEY).</summary>
public sealed record LlmJudgeSpec
{
    /// <summary>FLock's default for the judge, from FLock-validator's llm_judge README.</summary>
    public const string DefaultBaseUrl = "https://api.flock.io/v1";

    /// <summary>OPENAI_BASE_URL: the OpenAI-compatible API the judge calls.</summary>
    [Default("\"" + DefaultBaseUrl + "\""), Length(1, 2048), Pattern("^https?://.+$")]
    public string BaseUrl { get; init; } = DefaultBaseUrl;

    /// <summary>OPENAI_API_KEY, from a Secret: a FLock API Platform key.</summary>
    [Required]
    public SecretKeySelector ApiKey { get; init; } = new();
}

/// <summary>Observed state of a validator.</summary>
public sealed record FlockValidatorStatus : WorkerStatus
{
    /// <summary>Each FLock task as last read from the FLock API.</summary>
    [Length(0, 64), ListType("map", "id")]
    public IReadOnlyList<FlockTaskStatus>? Tasks { get; init; }
}
