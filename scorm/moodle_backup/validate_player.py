"""Does every SCORM activity show the module the way the programme wants (player.PLAYER_SETTINGS)?

A warning, not an error: a backup with Moodle's defaults restores and grades correctly, but learners get a
second set of navigation buttons, a structure panel and an extra entry page around a module that has its own
navigation. Moodle's own reference backup carries those defaults, so it warns here and stays valid.
"""

from __future__ import annotations

from scorm.moodle_backup.player import PLAYER_SETTINGS
from scorm.moodle_backup.validate_base import Backup, text
from scorm.moodle_backup.validate_refs import listed_activities

CODE = "scorm.player-setting"


def check_player_settings(backup: Backup) -> None:
    for activity in listed_activities(backup):
        root = backup.xml.get(activity.instance_xml)
        if activity.modulename != "scorm" or root is None:
            continue
        scorm = root.find("scorm")
        name = text(scorm, "name") or activity.directory
        for setting in PLAYER_SETTINGS:
            found = text(scorm, setting.field)
            if found != str(setting.value):
                backup.report.warning(
                    CODE,
                    f"SCORM-Aktivität „{name}“: {setting.field} = {found or '(fehlt)'}, erwartet "
                    f"{setting.value} ({setting.label}); in Moodle unter „Einstellungen bearbeiten“ ändern "
                    "oder die Vorlage neu bauen (docs/moodle-einrichtung.md, Abschnitt 8).",
                    activity.instance_xml,
                )
