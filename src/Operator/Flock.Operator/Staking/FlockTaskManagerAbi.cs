using System.Globalization;
using System.Numerics;
using System.Text;
using Nethereum.Util;

namespace Flock.Operator.Staking;

/// <summary>
/// The slice of FlockTaskManagerV2Upgradeable's ABI the operator reads. Selectors and event topics are
/// keccak-256 of the canonical signatures, so they equal the deployed contract's (parameter types matter).
/// </summary>
public static class FlockTaskManagerAbi
{
    /// <summary>getNodeStakes(uint256 taskId, address user) → uint256.</summary>
    public const string GetNodeStakes = "getNodeStakes(uint256,address)";

    /// <summary>getValidatorStakes(uint256 taskId, address user) → uint256.</summary>
    public const string GetValidatorStakes = "getValidatorStakes(uint256,address)";

    /// <summary>minNodeStakes() → uint256.</summary>
    public const string MinNodeStakes = "minNodeStakes()";

    /// <summary>validatorMinStake() → uint256.</summary>
    public const string ValidatorMinStake = "validatorMinStake()";

    /// <summary>isTaskCompleted(uint256 taskId) → bool.</summary>
    public const string IsTaskCompleted = "isTaskCompleted(uint256)";

    /// <summary>NodeStakeDeposited(uint256 indexed taskId, address indexed node, uint256 amount) — amount is the new cumulative stake.</summary>
    public const string NodeStakeDepositedEvent = "NodeStakeDeposited(uint256,address,uint256)";

    /// <summary>ValidatorStakeDeposited(uint256 indexed taskId, address indexed validator, uint256 amount) — new cumulative stake.</summary>
    public const string ValidatorStakeDepositedEvent = "ValidatorStakeDeposited(uint256,address,uint256)";

    /// <summary>NodeStakeWithdrawn(uint256 indexed taskId, address indexed node, uint256 amount) — amount withdrawn.</summary>
    public const string NodeStakeWithdrawnEvent = "NodeStakeWithdrawn(uint256,address,uint256)";

    /// <summary>ValidatorStakeWithdrawn(uint256 indexed taskId, address indexed validator, uint256 amount) — amount withdrawn.</summary>
    public const string ValidatorStakeWithdrawnEvent = "ValidatorStakeWithdrawn(uint256,address,uint256)";

    /// <summary>TaskFinished(uint256 taskId) — taskId is NOT indexed, so it sits in the data, not in a topic.</summary>
    public const string TaskFinishedEvent = "TaskFinished(uint256)";

    /// <summary>The 4-byte selector of a function signature, 0x-prefixed hex.</summary>
    public static string Selector(string signature) => "0x" + Keccak(signature)[..8];

    /// <summary>The topic0 of an event signature, 0x-prefixed 32-byte hex.</summary>
    public static string Topic(string signature) => "0x" + Keccak(signature);

    /// <summary>Call data: selector followed by each argument as one 32-byte word (uint256 or address only).</summary>
    public static string EncodeCall(string signature, params object[] args)
    {
        var sb = new StringBuilder(Selector(signature), 10 + (64 * args.Length));
        foreach (var arg in args)
        {
            sb.Append(arg switch
            {
                BigInteger n => Word(n),
                long n => Word(n),
                string address => AddressWord(address),
                _ => throw new ArgumentException($"Unsupported ABI argument type {arg.GetType().Name}.", nameof(args)),
            });
        }

        return sb.ToString();
    }

    /// <summary>A uint256 as 64 lowercase hex digits (no 0x).</summary>
    public static string Word(BigInteger value)
    {
        if (value.Sign < 0 || value.GetByteCount(isUnsigned: true) > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "A uint256 is between 0 and 2^256 − 1.");
        }

        return value.IsZero ? new string('0', 64) : Convert.ToHexStringLower(value.ToByteArray(isUnsigned: true, isBigEndian: true)).PadLeft(64, '0');
    }

    /// <summary>An address as a 32-byte word: 24 zero digits then the 40 address digits, lowercase, no 0x.</summary>
    public static string AddressWord(string address)
    {
        if (!ChainSettings.IsAddress(address))
        {
            throw new ArgumentException($"'{address}' is not an address.", nameof(address));
        }

        return new string('0', 24) + address[2..].ToLowerInvariant();
    }

    /// <summary>A uint256 as a 0x-prefixed topic.</summary>
    public static string UintTopic(BigInteger value) => "0x" + Word(value);

    /// <summary>An address as a 0x-prefixed topic.</summary>
    public static string AddressTopic(string address) => "0x" + AddressWord(address);

    /// <summary>Decodes a single uint256 return value; null when the data is not exactly one 32-byte word.</summary>
    public static BigInteger? DecodeUint(string? hex)
    {
        var digits = Strip(hex);
        if (digits is null || digits.Length != 64)
        {
            return null;
        }

        return BigInteger.Parse("0" + digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    /// <summary>Decodes a single bool return value; null unless the data is one word equal to 0 or 1.</summary>
    public static bool? DecodeBool(string? hex) => DecodeUint(hex) switch
    {
        { } v when v.IsZero => false,
        { } v when v.IsOne => true,
        _ => null,
    };

    /// <summary>Decodes an address topic (32 bytes, 12 leading zero bytes) to a checksummed address; null when malformed.</summary>
    public static string? DecodeAddressWord(string? hex)
    {
        var digits = Strip(hex);
        if (digits is null || digits.Length != 64 || digits[..24].Any(c => c != '0'))
        {
            return null;
        }

        return AddressUtil.Current.ConvertToChecksumAddress("0x" + digits[24..]);
    }

    private static string? Strip(string? hex)
    {
        if (hex is null || !hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var digits = hex[2..];
        return digits.All(char.IsAsciiHexDigit) ? digits : null;
    }

    private static string Keccak(string signature) => Sha3Keccack.Current.CalculateHash(signature).ToLowerInvariant();
}
