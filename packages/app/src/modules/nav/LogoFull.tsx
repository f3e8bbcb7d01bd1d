import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 30,
  },
  mark: {
    fill: '#7df3e1',
  },
  text: {
    fill: '#ffffff',
    fontFamily: 'Helvetica, Arial, sans-serif',
    fontWeight: 600,
    fontSize: 34,
  },
});

/** The Careplane wordmark: a care cross and the name. */
export const LogoFull = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 220 44"
      role="img"
      aria-label="Careplane"
    >
      <path
        className={classes.mark}
        d="M14 2h12v12h12v12H26v12H14V26H2V14h12z"
      />
      <text className={classes.text} x="48" y="33">
        Careplane
      </text>
    </svg>
  );
};
