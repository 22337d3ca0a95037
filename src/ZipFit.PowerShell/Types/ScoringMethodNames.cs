namespace ZipFit;

internal static class ScoringMethodNames
{
    /// <summary>The engine's method of the same name (both enums are compiled from src/ZipFit.Core/Scoring/ScoringMethodName.cs).</summary>
    public static Core.Scoring.ScoringMethodName ToCore(this ScoringMethodName method) => (Core.Scoring.ScoringMethodName)(int)method;
}
