namespace VoiceAnalytics.Gateway.Api;

/// <summary>
/// Whether Postgres can store a JSON number in <c>jsonb</c>, which keeps numbers as <c>numeric</c>: at most 131072
/// digits before the decimal point, at most 16383 after it (counting written trailing zeros), and an exponent
/// within ±(2^31/2). JSON itself has no range, so a number such as <c>1e200000</c> parses here and is refused there.
/// </summary>
public static class PostgresNumber
{
    private const long MaxIntegerDigits = 131_072;
    private const long MaxScale = 16_383;
    private const long MaxExponent = int.MaxValue / 2;

    /// <summary>True when <paramref name="number"/> (a valid JSON number token) fits Postgres' <c>numeric</c>.</summary>
    public static bool IsStorable(ReadOnlySpan<byte> number)
    {
        var i = 0;
        if (i < number.Length && number[i] == '-')
        {
            i++;
        }
        var integerStart = i;
        while (i < number.Length && char.IsAsciiDigit((char)number[i]))
        {
            i++;
        }
        var integer = number[integerStart..i];
        var fraction = ReadOnlySpan<byte>.Empty;
        if (i < number.Length && number[i] == '.')
        {
            var fractionStart = ++i;
            while (i < number.Length && char.IsAsciiDigit((char)number[i]))
            {
                i++;
            }
            fraction = number[fractionStart..i];
        }
        long exponent = 0;
        if (i < number.Length && (number[i] == 'e' || number[i] == 'E'))
        {
            i++;
            var negative = i < number.Length && number[i] == '-';
            if (i < number.Length && (number[i] == '-' || number[i] == '+'))
            {
                i++;
            }
            for (; i < number.Length; i++)
            {
                exponent = exponent * 10 + (number[i] - '0');
                if (exponent >= MaxExponent)
                {
                    return false; // Postgres refuses such an exponent even on zero
                }
            }
            exponent = negative ? -exponent : exponent;
        }

        // Digits written after the decimal point, once the exponent has moved it.
        if (fraction.Length - exponent > MaxScale)
        {
            return false;
        }
        // The power of ten of the first significant digit; zero has none.
        var leadingZeros = 0;
        while (leadingZeros < integer.Length && integer[leadingZeros] == '0')
        {
            leadingZeros++;
        }
        long firstDigitPower;
        if (leadingZeros < integer.Length)
        {
            firstDigitPower = integer.Length - leadingZeros - 1 + exponent;
        }
        else
        {
            var fractionZeros = fraction.IndexOfAnyExcept((byte)'0');
            if (fractionZeros < 0)
            {
                return true;
            }
            firstDigitPower = -fractionZeros - 1 + exponent;
        }
        return firstDigitPower < MaxIntegerDigits;
    }
}
