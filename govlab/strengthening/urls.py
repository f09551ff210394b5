"""Strengthening URLs: the lab's pages under ``lab/<lab_slug>/<call pk>/``, one solver's
pages under ``member/<pk>/`` (shared by the lab, mentors, the solver and the entity), and "my programme" /
"my solvers"."""

from django.urls import path

from . import views_lab, views_member

app_name = "strengthening"

P = "lab/<slug:lab_slug>/<int:pk>/"
M = "member/<int:member_pk>/"

urlpatterns = [
    path(P, views_lab.programme, name="programme"),
    path(P + "close/", views_lab.programme_close, name="programme_close"),
    path(P + "bootcamps/", views_lab.bootcamps, name="bootcamps"),
    path(P + "bootcamps/<int:bootcamp_pk>/", views_lab.bootcamp_edit, name="bootcamp"),
    path(P + "bootcamps/<int:bootcamp_pk>/attendance/", views_lab.bootcamp_attendance, name="attendance"),
    path(P + "mentors/", views_lab.mentors, name="mentors"),
    path(P + "mentors/<int:assignment_pk>/end/", views_lab.mentor_unassign, name="mentor_unassign"),
    path(P + "work-sessions/", views_lab.work_sessions, name="work_sessions"),
    path(P + "hours/", views_lab.hours, name="hours"),
    path(P + "export/attendance.<str:extension>", views_lab.export_attendance, name="export_attendance"),
    path(P + "export/hours.<str:extension>", views_lab.export_hours, name="export_hours"),
    path(M, views_member.member, name="member"),
    path(M + "mentoring/", views_member.mentoring_add, name="mentoring_add"),
    path(M + "actions/<int:action_pk>/", views_member.action_status, name="action_status"),
    path(M + "work-sessions/new/", views_member.work_session_add, name="work_session_add"),
    path(M + "milestones/new/", views_member.milestone_add, name="milestone_add"),
    path(M + "milestones/<int:milestone_pk>/", views_member.milestone, name="milestone"),
    path(M + "milestones/<int:milestone_pk>/evidence/", views_member.milestone_file, name="milestone_file"),
    path(M + "trl/", views_member.trl, name="trl"),
    path(M + "bootcamps/", views_member.register, name="register"),
    path(M + "hours/", views_member.hours_add, name="hours_add"),
    path(M + "leave/", views_member.leave, name="leave"),
    path(
        M + "bootcamps/<int:bootcamp_pk>/materials/",
        views_member.bootcamp_materials,
        name="bootcamp_materials",
    ),
    path("mine/", views_member.mine, name="mine"),
    path("mentoring/", views_member.mentoring, name="mentoring"),
]
