using System.Runtime.CompilerServices;

namespace ZipFit.Core.Scoring.Methods;

/// <summary>
/// <c>h % d</c> for any 64-bit h by multiplication (Lemire, Kaser and Kurz, "Faster remainder by direct computation",
/// 2019: with a 128-bit reciprocal the fractional part of h / d, times d, is exact for every 64-bit h). DSIR takes one
/// remainder per n-gram, and a 64-bit division is not pipelined: hundreds per example wait on each other.
/// </summary>
internal readonly struct FastModulus
{
    private readonly ulong _reciprocalHigh, _reciprocalLow;
    private readonly ulong _divisor;

    public FastModulus(uint divisor)
    {
        if (divisor < 2) throw new ArgumentOutOfRangeException(nameof(divisor));
        _divisor = divisor;
        UInt128 reciprocal = UInt128.MaxValue / divisor + 1;
        _reciprocalHigh = (ulong)(reciprocal >> 64);
        _reciprocalLow = (ulong)reciprocal;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Of(ulong h)
    {
        // fraction = reciprocal * h mod 2^128
        ulong fractionHigh = Math.BigMul(_reciprocalLow, h, out ulong fractionLow) + _reciprocalHigh * h;
        // (fraction * d) >> 128
        ulong lowCarry = Math.BigMul(fractionLow, _divisor, out _);
        ulong high = Math.BigMul(fractionHigh, _divisor, out ulong middle);
        return (int)(high + (middle + lowCarry < middle ? 1UL : 0UL));
    }
}
