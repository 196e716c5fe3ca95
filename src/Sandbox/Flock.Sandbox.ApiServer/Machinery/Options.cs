using Flock.Sandbox.ApiModel;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>The write options of one request (query parameters of create/update/patch/delete).</summary>
public sealed record WriteOptions
{
    public bool DryRun { get; init; }

    /// <summary>Manager recorded in managedFields; required for apply.</summary>
    public string? FieldManager { get; init; }

    /// <summary>Manager when fieldManager is absent: the User-Agent up to its first '/'.</summary>
    public string DefaultManager { get; init; } = "unknown";

    /// <summary>Strict, Warn (the server default) or Ignore.</summary>
    public string FieldValidation { get; init; } = "Warn";

    /// <summary>Server-side apply: take ownership of conflicting fields.</summary>
    public bool Force { get; init; }

    /// <summary>Warnings to send back as Warning headers; filled by the machinery.</summary>
    public List<string> Warnings { get; } = [];

    public UserInfo User { get; init; } = new("system:admin", [UserInfo.Masters, UserInfo.Authenticated]);

    /// <summary>Set by the machinery for PATCH requests (error messages differ from create/update).</summary>
    internal bool IsPatch { get; init; }

    /// <summary>Control-plane writes: never hit by injected faults.</summary>
    public bool Internal { get; init; }

    public static WriteOptions ForController(string manager) => new() { FieldManager = manager, Internal = true };
}

/// <summary>metav1.DeleteOptions as the sandbox honours it.</summary>
public sealed record DeleteOptions
{
    /// <summary>Background (default), Foreground or Orphan.</summary>
    public string? PropagationPolicy { get; init; }

    public string? PreconditionUid { get; init; }
    public string? PreconditionResourceVersion { get; init; }
    public long? GracePeriodSeconds { get; init; }

    /// <summary>dryRun: [All] in the DeleteOptions body.</summary>
    public bool DryRun { get; init; }
}

/// <summary>List query parameters.</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }
    public long Limit { get; init; }
    public string? Continue { get; init; }
    public string? ResourceVersion { get; init; }
    public string? ResourceVersionMatch { get; init; }
}
