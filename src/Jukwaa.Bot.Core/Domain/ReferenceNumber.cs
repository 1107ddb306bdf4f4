using System.Security.Cryptography;

namespace Jukwaa.Bot.Core.Domain;

/// <summary>
/// Report references: nine digits, the last a Damm check digit, which catches every single wrong
/// digit and every swap of two neighbouring digits. Digits only, so they can be typed on a keypad.
/// </summary>
public static class ReferenceNumber
{
    public const int Length = 9;

    // The Damm quasigroup of order 10 (totally anti-symmetric).
    private static readonly int[,] s_table =
    {
        { 0, 3, 1, 7, 5, 9, 8, 6, 4, 2 },
        { 7, 0, 9, 2, 1, 5, 4, 8, 6, 3 },
        { 4, 2, 0, 6, 8, 7, 1, 3, 5, 9 },
        { 1, 7, 5, 0, 9, 8, 3, 4, 2, 6 },
        { 6, 1, 2, 3, 0, 4, 5, 9, 7, 8 },
        { 3, 6, 7, 4, 2, 0, 9, 5, 8, 1 },
        { 5, 8, 6, 9, 7, 2, 0, 1, 3, 4 },
        { 8, 9, 4, 5, 3, 6, 2, 0, 1, 7 },
        { 9, 4, 3, 8, 6, 1, 7, 2, 0, 5 },
        { 2, 5, 8, 1, 4, 3, 6, 7, 9, 0 },
    };

    public static int CheckDigit(ReadOnlySpan<char> digits)
    {
        var interim = 0;
        foreach (var c in digits) interim = s_table[interim, c - '0'];
        return interim;
    }

    /// <summary>A new random reference; the first digit is never 0 so it survives spreadsheets.</summary>
    public static string New()
    {
        Span<char> body = stackalloc char[Length - 1];
        body[0] = (char)('1' + RandomNumberGenerator.GetInt32(9));
        for (var i = 1; i < body.Length; i++) body[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        return string.Concat(body, [(char)('0' + CheckDigit(body))]);
    }

    /// <summary>Reads what a person typed: spaces, dashes and dots are ignored.</summary>
    public static ReferenceCheck Check(string typed)
    {
        var digits = new string([.. typed.Where(c => c is not (' ' or '-' or '.'))]);
        if (digits.Length != Length || !digits.All(char.IsAsciiDigit)) return new(ReferenceValidity.Malformed, digits);
        return CheckDigit(digits) == 0 ? new(ReferenceValidity.Valid, digits) : new(ReferenceValidity.WrongCheckDigit, digits);
    }

    /// <summary>"123 456 789": easier to read back and copy on a small screen.</summary>
    public static string Format(string reference) =>
        reference.Length == Length ? $"{reference[..3]} {reference[3..6]} {reference[6..]}" : reference;
}

public enum ReferenceValidity { Valid, Malformed, WrongCheckDigit }

public readonly record struct ReferenceCheck(ReferenceValidity Validity, string Digits);
