namespace Jukwaa.Bot.Host.Web.Console;

/// <summary>One stacked series of <see cref="WeeklyReportsChart"/>: a label and one count per week, oldest first.</summary>
public sealed record WeeklySeries(string Label, IReadOnlyList<int> Counts);
