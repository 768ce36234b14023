"""New agreement from a press text (issue 4, point 4): paste or upload the text, review what was read
in it beside a pre-filled form per agreement, confirm. The rules live in `shiraka.intake`; this
package is the two pages."""
