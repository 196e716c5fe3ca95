using Flock.Crds.Schema;

namespace Flock.Crds.V1Alpha1;

/// <summary>Names one key of a Secret in the resource's namespace.</summary>
public sealed record SecretKeySelector
{
    /// <summary>Name of the Secret, in the same namespace as this resource.</summary>
    [Required, Length(1, 253), Pattern(Patterns.DnsSubdomain)]
    public string Name { get; init; } = "";

    /// <summary>Key inside the Secret's data whose value is used.</summary>
    [Required, Length(1, 253), Pattern(Patterns.SecretKey)]
    public string Key { get; init; } = "";
}

/// <summary>Hugging Face account the worker pushes adapters with (HF_USERNAME and HF_TOKEN).</summary>
public sealed record HuggingFaceCredentials
{
    /// <summary>Name of the Secret holding the Hugging Face user name and token.</summary>
    [Required, Length(1, 253), Pattern(Patterns.DnsSubdomain)]
    public string SecretName { get; init; } = "";

    /// <summary>Key of the user name in the Secret (exported as HF_USERNAME and HG_USERNAME).</summary>
    [Default("\"username\""), Length(1, 253), Pattern(Patterns.SecretKey)]
    public string UsernameKey { get; init; } = "username";

    /// <summary>Key of the access token in the Secret (exported as HF_TOKEN).</summary>
    [Default("\"token\""), Length(1, 253), Pattern(Patterns.SecretKey)]
    public string TokenKey { get; init; } = "token";
}

/// <summary>Where the worker's secrets come from. The operator passes them by reference and never copies a value.</summary>
public sealed record Credentials
{
    /// <summary>Secret key holding the FLock API key (FLOCK_API_KEY), tied to the wallet that staked.</summary>
    [Required]
    public SecretKeySelector FlockApiKey { get; init; } = new();

    /// <summary>Hugging Face user name and token. Required for training nodes (they push adapters); validators need only the token.</summary>
    public HuggingFaceCredentials? HuggingFace { get; init; }
}
