using System.Text.Json.Serialization;
using Flock.Crds.Schema;
using k8s;
using k8s.Models;

namespace Flock.Crds.V1Alpha1;

/// <summary>A FLock AI Arena training node: finetunes a base model for a task and submits LoRA adapters.</summary>
[CustomResource(FlockApi.Group, FlockApi.Version, KindName, "flocktrainingnodes", ShortNames = ["ftn"], Categories = ["flock"])]
[PrinterColumn("Phase", "string", ".status.phase", Order = 1, Description = "Where the worker stands")]
[PrinterColumn("Task", "integer", ".spec.taskId", Order = 2, Description = "FLock task id")]
[PrinterColumn("Backend", "string", ".status.workload.backend", Order = 3, Description = "InCluster or Akash")]
[PrinterColumn("Staked", "boolean", ".status.staking.eligible", Order = 4, Description = "A stake that counts on the task")]
[PrinterColumn("Provider", "string", ".status.akash.provider", Order = 5, Priority = 1, Description = "Akash provider holding the lease")]
[PrinterColumn("Price", "string", ".status.akash.price", Order = 6, Description = "Lease price per block")]
[PrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", Order = 7, Priority = 1, Description = "Ready condition")]
[PrinterColumn("Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason", Order = 8, Priority = 1, Description = "Why Ready has its status")]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp", Order = 9)]
public sealed class FlockTrainingNode : IKubernetesObject<V1ObjectMeta>, IFlockWorker
{
    public const string KindName = "FlockTrainingNode";

    /// <summary>APIVersion defines the versioned schema of this representation of an object.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = FlockApi.ApiVersion;

    /// <summary>Kind is a string value representing the REST resource this object represents.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindName;

    /// <summary>Standard object metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>What to run: the task, credentials, stake, compute and placement.</summary>
    [JsonPropertyName("spec"), Required]
    public FlockTrainingNodeSpec Spec { get; set; } = new();

    /// <summary>What the operator observed: phase, conditions, task, stake, workload and Akash lease.</summary>
    [JsonPropertyName("status")]
    public FlockTrainingNodeStatus? Status { get; set; }

    WorkerSpec IFlockWorker.Spec => Spec;
    WorkerStatus? IFlockWorker.Status => Status;
}

/// <summary>Desired state of a training node.</summary>
[CelRule("has(self.credentials.huggingFace)",
    "credentials.huggingFace is required for a training node: it pushes adapters to Hugging Face",
    FieldPath = ".credentials.huggingFace", Reason = "FieldValueRequired")]
[CelRule("!has(self.resources) || !has(self.resources.gpu) || self.resources.gpu.count >= 1",
    "a training node needs at least one GPU (resources.gpu.count >= 1)",
    FieldPath = ".resources.gpu.count")]
public sealed record FlockTrainingNodeSpec : WorkerSpec
{
    /// <summary>Default worker image: the looping training image of the Akash Console template.</summary>
    public const string DefaultImage = "public.ecr.aws/e7z6j8c3/flock:training-quickstart-akash";

    /// <summary>FLock task id to train for (TASK_ID).</summary>
    [Required, Range(1)]
    public long TaskId { get; init; }

    /// <summary>Worker image; the default is the looping training image of the Akash Console template.</summary>
    [Default("\"" + DefaultImage + "\""), Length(1, 512), Pattern(Patterns.Image)]
    public string Image { get; init; } = DefaultImage;

    /// <summary>Optional git repository with your own dataset (demo_data.jsonl) or training arguments (training_args.yaml, the name the quickstart reads) (GIT_URL).</summary>
    [Length(1, 2048), Pattern("^(https?|git|ssh)://.+$|^git@.+$")]
    public string? GitUrl { get; init; }

    /// <summary>For one-shot images: run as Jobs this many times a day until the submission phase ends. Absent: one long-lived worker that loops itself.</summary>
    public TrainingSchedule? Schedule { get; init; }
}

/// <summary>Observed state of a training node.</summary>
public sealed record FlockTrainingNodeStatus : WorkerStatus
{
    /// <summary>The FLock task as last read from the FLock API.</summary>
    public FlockTaskStatus? Task { get; init; }
}
