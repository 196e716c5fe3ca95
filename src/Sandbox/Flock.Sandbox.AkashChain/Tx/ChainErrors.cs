namespace Flock.Sandbox.AkashChain.Tx;

/// <summary>
/// The registered errors the simulator returns, with the codes and descriptions of cosmos-sdk types/errors
/// (codespace "sdk") and of chain-sdk go/node/{deployment,market,escrow,cert,bme} errors.go. A registered error's
/// text is its description; Wrapf prefixes context, so logs read exactly like a node's raw_log.
/// </summary>
public static class ChainErrors
{
    private static TxError Sdk(uint code, string description) => new("sdk", code, description);

    // cosmos-sdk types/errors/errors.go
    public static TxError TxDecode => Sdk(2, "tx parse error");
    public static TxError Unauthorized => Sdk(4, "unauthorized");
    public static TxError InsufficientFunds => Sdk(5, "insufficient funds");
    public static TxError UnknownRequest => Sdk(6, "unknown request");
    public static TxError InvalidAddress => Sdk(7, "invalid address");
    public static TxError InvalidPubKey => Sdk(8, "invalid pubkey");
    public static TxError UnknownAddress => Sdk(9, "unknown address");
    public static TxError InvalidCoins => Sdk(10, "invalid coins");
    public static TxError OutOfGas => Sdk(11, "out of gas");
    public static TxError InsufficientFee => Sdk(13, "insufficient fee");
    public static TxError NoSignatures => Sdk(15, "no signatures supplied");
    public static TxError InvalidRequest => Sdk(18, "invalid request");
    public static TxError TxTimeoutHeight => Sdk(30, "tx timeout height");
    public static TxError WrongSequence => Sdk(32, "incorrect account sequence");
    public static TxError InvalidGasLimit => Sdk(41, "invalid gas limit");

    // chain-sdk go/node/deployment/v1/errors.go (codespace "deployment")
    private static TxError Deployment(uint code, string description) => new("deployment", code, description);
    public static TxError DeploymentExists => Deployment(3, "Deployment exists");
    public static TxError DeploymentNotFound => Deployment(4, "Deployment not found");
    public static TxError DeploymentClosed => Deployment(5, "Deployment closed");
    public static TxError InvalidGroups => Deployment(7, "Invalid groups");
    public static TxError InvalidDeploymentId => Deployment(8, "Invalid: deployment id");
    public static TxError EmptyHash => Deployment(9, "Invalid: empty hash");
    public static TxError InvalidHash => Deployment(10, "Invalid: deployment hash");
    public static TxError GroupNotFound => Deployment(14, "Group not found");
    public static TxError GroupClosed => Deployment(15, "Group already closed");
    public static TxError GroupSpecInvalid => Deployment(19, "GroupSpec invalid");
    public static TxError InvalidDeploymentDeposit => Deployment(20, "Deposit invalid");
    public static TxError InvalidPrice => Deployment(24, "invalid price");
    public static TxError DuplicateGroupName => Deployment(25, "duplicate group name");

    // chain-sdk go/node/market/v1/errors.go (codespace "market")
    private static TxError Market(uint code, string description) => new("market", code, description);
    public static TxError EmptyProvider => Market(1, "empty provider");
    public static TxError SameAccount => Market(2, "owner and provider are the same account");
    public static TxError AttributeMismatch => Market(5, "attribute mismatch");
    public static TxError UnknownBid => Market(6, "unknown bid");
    public static TxError UnknownLease => Market(7, "unknown lease");
    public static TxError UnknownLeaseForBid => Market(8, "unknown lease for bid");
    public static TxError UnknownOrderForBid => Market(9, "unknown order for bid");
    public static TxError LeaseNotActive => Market(10, "lease not active");
    public static TxError BidNotActive => Market(11, "bid not active");
    public static TxError BidNotOpen => Market(12, "bid not open");
    public static TxError OrderNotOpen => Market(13, "bid: order not open");
    public static TxError OrderNotFound => Market(15, "invalid order: order not found");
    public static TxError MarketGroupNotFound => Market(16, "group not found");
    public static TxError MarketGroupNotOpen => Market(17, "group not open");
    public static TxError BidNotFound => Market(18, "invalid bid: bid not found");
    public static TxError BidZeroPrice => Market(19, "invalid bid: zero price");
    public static TxError LeaseNotFound => Market(20, "invalid lease: lease not found");
    public static TxError BidExists => Market(21, "invalid bid: bid exists from provider");
    public static TxError BidInvalidPrice => Market(22, "bid price is invalid");
    public static TxError OrderClosed => Market(24, "order closed");
    public static TxError InvalidBidDeposit => Market(28, "deposit invalid");
    public static TxError UnknownProvider => Market(30, "unknown provider");
    public static TxError InvalidBid => Market(31, "invalid bid");
    public static TxError CapabilitiesMismatch => Market(32, "capabilities mismatch");

    // chain-sdk go/node/escrow/module/error.go (codespace "escrow")
    private static TxError Escrow(uint code, string description) => new("escrow", code, description);
    public static TxError AccountClosed => Escrow(2, "account closed");
    public static TxError AccountNotFound => Escrow(3, "account not found");
    public static TxError AccountOverdrawn => Escrow(4, "account overdrawn");
    public static TxError InvalidDenomination => Escrow(5, "invalid denomination");
    public static TxError InvalidEscrowDeposit => Escrow(16, "invalid deposit");

    // chain-sdk go/node/cert/v1/errors.go (codespace "cert")
    private static TxError Cert(uint code, string description) => new("cert", code, description);
    public static TxError CertificateNotFound => Cert(1, "certificate not found");
    public static TxError CertInvalidAddress => Cert(2, "invalid address");
    public static TxError CertificateExists => Cert(3, "certificate exists");
    public static TxError CertificateAlreadyRevoked => Cert(4, "certificate already revoked");
    public static TxError InvalidSerialNumber => Cert(5, "invalid serial number");
    public static TxError InvalidCertificateValue => Cert(6, "invalid certificate value");
    public static TxError InvalidPubkeyValue => Cert(7, "invalid pubkey value");

    // chain-sdk go/node/bme/v1/errors.go (codespace "bme")
    public static TxError BmeUnauthorized => new("bme", 3, "unauthorized");
    public static TxError BmeInvalidAmount => new("bme", 8, "invalid amount");
    public static TxError BmeInvalidDenom => new("bme", 9, "invalid denomination");

    /// <summary>Raises <paramref name="error"/> inside a message handler.</summary>
    public static ChainException Fail(this TxError error) => new(error);

    /// <summary>Raises <paramref name="error"/> followed by detail (fmt.Errorf("%w: …")).</summary>
    public static ChainException FailAppend(this TxError error, string detail) => new(error.Append(detail));

    /// <summary>Raises <paramref name="error"/> wrapped with context (errorsmod.Wrapf).</summary>
    public static ChainException Fail(this TxError error, string context) => new(error.Wrap(context));
}
