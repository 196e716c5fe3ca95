namespace Flock.Akash.Client;

/// <summary>
/// The chain has no account at this address. Cosmos accounts come into existence when they first receive coins,
/// so a fresh wallet cannot sign anything until someone sends it AKT; the message says so, because that is the
/// fix a user has to make.
/// </summary>
public sealed class AkashAccountNotFundedException : AkashChainException
{
    public AkashAccountNotFundedException()
    {
        Address = string.Empty;
    }

    public AkashAccountNotFundedException(string address)
        : base($"Akash account {address} does not exist on chain yet: fund the account first (send it some AKT for fees and deposits), then retry.")
    {
        Address = address;
    }

    public AkashAccountNotFundedException(string address, Exception innerException)
        : base($"Akash account {address} does not exist on chain yet: fund the account first (send it some AKT for fees and deposits), then retry.", innerException)
    {
        Address = address;
    }

    /// <summary>The address that must receive funds.</summary>
    public string Address { get; }
}
