namespace OrderHub.Api.ControlPanel.Admin;

/// <summary>The texts of the users and audit log screens.</summary>
public static class AdminTexts
{
    public static Dictionary<string, (string Uk, string En)> All => new()
    {
        ["users.login"] = ("Логін", "Login name"),
        ["users.displayName"] = ("Ім'я", "Display name"),
        ["users.password"] = ("Пароль (щонайменше 10 символів)", "Password (at least 10 characters)"),
        ["users.status"] = ("Стан", "Status"),
        ["users.enabled"] = ("активний", "enabled"),
        ["users.disabled"] = ("вимкнений", "disabled"),
        ["users.lockedUntil"] = ("заблоковано до {0:HH:mm}", "locked until {0:HH:mm}"),
        ["users.lastSignIn"] = ("останній вхід", "last sign-in"),
        ["users.change"] = ("Змінити", "Change"),
        ["users.new"] = ("Новий користувач", "New user"),
        ["users.newPassword"] = ("Новий пароль", "New password"),
        ["users.resetPassword"] = ("Встановити пароль", "Set the password"),
        ["users.unlock"] = ("Розблокувати", "Unlock"),
        ["users.created"] = ("Користувача {0} створено.", "User {0} created."),
        ["users.saved"] = ("Користувача {0} збережено.", "User {0} saved."),
        ["users.passwordSet"] = ("Пароль для {0} змінено; блокування знято.", "Password of {0} set; any lockout ended."),
        ["users.unlocked"] = ("Користувача {0} розблоковано.", "User {0} unlocked."),
        ["audit.entity"] = ("Що змінено", "What changed"),
        ["audit.actor"] = ("Хто", "Who"),
        ["audit.beforeAfter"] = ("До і після", "Before and after"),
        ["audit.before"] = ("До", "Before"),
        ["audit.after"] = ("Після", "After"),
        ["audit.none"] = ("Записів немає.", "No entries."),
    };
}
